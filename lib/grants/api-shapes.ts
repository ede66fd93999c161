import { z } from "zod";

import { GRANT_STATES } from "@/lib/grants/lifecycle";
import type { GrantView } from "@/lib/grants/service";
import { optionalParam } from "@/lib/validation/search-params";

/* The grants API's query and answer, published in the OpenAPI document. */

export const grantFiltersSchema = z.strictObject({
  mine: optionalParam(
    z
      .enum(["true", "false"], { message: 'must be "true" or "false"' })
      .transform((v) => v === "true"),
  ).meta({ description: "true: only the grants you asked for" }),
  state: optionalParam(
    z.enum(["active", "ended", "all"], { message: "must be active, ended or all" }),
  ).meta({ description: "active (default: active and ending), ended (expired, revoked) or all" }),
  hsm: optionalParam(z.string().max(24, "must be an HSM name")),
  key: optionalParam(z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, "must be a key name")),
});

const iso = z.iso.datetime();

export const grantListShape = z
  .object({
    grants: z.array(
      z.object({
        assignment: z.string().meta({ description: "The role assignment's name (a GUID)" }),
        hsm: z.string(),
        scope: z.string(),
        key: z.string().nullable(),
        roleDefinitionId: z.string(),
        roleName: z.string().nullable(),
        principalId: z.string(),
        principalName: z.string().nullable(),
        requestId: z.string(),
        requesterId: z.string(),
        grantedAt: iso,
        expiresAt: iso,
        state: z.enum(GRANT_STATES),
        endedAt: iso.nullable(),
      }),
    ),
  })
  .meta({ id: "GrantList" });

const at = (ms: number) => new Date(ms).toISOString();

export function apiGrant(grant: GrantView) {
  return {
    ...grant,
    grantedAt: at(grant.grantedAt),
    expiresAt: at(grant.expiresAt),
    endedAt: grant.endedAt === null ? null : at(grant.endedAt),
  };
}
