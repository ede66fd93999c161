/*
 * The durations a grant form offers: permanent, or time-limited from 15 minutes to 30 days (the
 * bounds the server enforces on `expiresAfter`). Pure, for client components.
 */
export const GRANT_DURATIONS: readonly (readonly [expiresAfter: string, words: string])[] = [
  ["", "Permanent (until revoked)"],
  ["PT15M", "15 minutes"],
  ["PT1H", "1 hour"],
  ["PT8H", "8 hours"],
  ["P1D", "1 day"],
  ["P7D", "7 days"],
  ["P30D", "30 days"],
];
