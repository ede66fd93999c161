/*
 * Limits of a change request, apart from the schemas that enforce them: the keys page's bulk
 * forms read them in the browser, where the schemas (zod) would only add weight.
 */

/** The most items one request may hold. */
export const MAX_ITEMS = 500;
