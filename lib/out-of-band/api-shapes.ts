import { z } from "zod";

import { CHANGE_WHATS, OUT_OF_BAND_STATES, SUBJECT_KINDS } from "@/lib/out-of-band/rules";
import type { OutOfBandView } from "@/lib/out-of-band/service";
import { hsmName } from "@/lib/validation/primitives";
import { optionalParam } from "@/lib/validation/search-params";

/* The out-of-band API's inputs and answers, parsed by the routes and published in the OpenAPI document. */

export const outOfBandFiltersSchema = z.strictObject({
  hsm: optionalParam(hsmName).meta({ description: "Only this HSM's changes" }),
  state: optionalParam(z.enum(OUT_OF_BAND_STATES, { message: "must be open or explained" })).meta({
    description: "open (default) or explained",
  }),
});

export const outOfBandIdParams = z.object({
  id: z.uuid({ message: "must be an out-of-band change id (a UUID)" }),
});

export const explainBody = z
  .strictObject({
    reason: z
      .string({ message: "say why the change was made" })
      .trim()
      .min(10, "say in at least 10 characters why the change was made")
      .max(2000, "must be at most 2,000 characters"),
  })
  .meta({ id: "ExplainOutOfBandChange" });

const iso = z.iso.datetime();

export const outOfBandShape = z
  .object({
    id: z.string(),
    hsm: z.string(),
    subjectKind: z.enum(SUBJECT_KINDS),
    subjectName: z
      .string()
      .meta({ description: "The key's name, or the assignment's or custom role's GUID" }),
    key: z.string().nullable().meta({ description: "The key it concerns (lower-case), if any" }),
    what: z.enum(CHANGE_WHATS),
    summary: z.string().meta({ description: "What changed, in words" }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    firstSeenAt: iso,
    state: z.enum(OUT_OF_BAND_STATES),
    explainedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    explainedAt: iso.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: "OutOfBandChange" });

export const outOfBandListShape = z
  .object({ changes: z.array(outOfBandShape) })
  .meta({ id: "OutOfBandChangeList" });

const at = (ms: number) => new Date(ms).toISOString();

export function apiOutOfBand(view: OutOfBandView): z.output<typeof outOfBandShape> {
  return {
    ...view,
    firstSeenAt: at(view.firstSeenAt),
    explainedAt: view.explainedAt === null ? null : at(view.explainedAt),
  };
}
