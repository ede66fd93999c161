import { z } from "zod";

/*
 * A calendar feed's name, given by its owner when it is made ("Outlook – work laptop"), so that
 * the list of feeds tells them apart and the right one can be revoked. Pure; shared by the form
 * and the route.
 */

export const FEED_NAME_MAX = 80;

export const feedNameSchema = z
  .string({ error: "Give the feed a name." })
  .trim()
  .min(1, "Give the feed a name.")
  .max(FEED_NAME_MAX, `A feed name has at most ${FEED_NAME_MAX} characters.`)
  .regex(/^[^\p{Cc}]*$/u, "A feed name cannot contain control characters.");

export const createFeedSchema = z.object({ name: feedNameSchema });

const SUGGESTED = "Outlook – work laptop";

/** The name the form offers: the suggestion, numbered past the names already in use. */
export function suggestFeedName(taken: readonly string[]): string {
  const names = new Set(taken.map((name) => name.trim().toLowerCase()));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? SUGGESTED : `${SUGGESTED} (${n})`;
    if (!names.has(candidate.toLowerCase())) return candidate;
  }
}
