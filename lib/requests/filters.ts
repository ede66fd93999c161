import { z } from "zod";

import { REQUEST_KIND_NAMES } from "@/lib/requests/kind-names";
import { REQUEST_STATES } from "@/lib/requests/state-machine";
import { optionalParam } from "@/lib/validation/search-params";

/*
 * The filters of the request list, as the URL and the API carry them. `mine`: requests I filed;
 * `toReview`: pending requests I may still decide (not mine, not decided by me). Paging is by
 * keyset on (filed time, id), newest first: `before` is the last row's `filedAt:id`.
 */

export const REQUESTS_PAGE_SIZE = 25;

const flag = optionalParam(
  z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .transform((v) => v === "true"),
);

export const requestFiltersSchema = z.object({
  state: optionalParam(
    z.enum(REQUEST_STATES, { message: `must be one of ${REQUEST_STATES.join(", ")}` }),
  ),
  kind: optionalParam(
    z.enum(REQUEST_KIND_NAMES, { message: "must be a request kind such as key.rotate" }),
  ),
  hsm: optionalParam(z.string().max(24, "must be an HSM name")),
  mine: flag,
  toReview: flag,
  before: optionalParam(
    z.string().regex(/^\d{1,16}:[0-9a-f-]{36}$/, "must be a cursor from a previous page"),
  ),
  limit: optionalParam(
    z.coerce.number().int().min(1, "must be 1 or more").max(200, "must be at most 200"),
  ),
});

export type RequestFilters = z.output<typeof requestFiltersSchema>;
