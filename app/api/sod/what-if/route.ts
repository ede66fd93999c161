// POST /api/sod/what-if – the findings a role assignment change would add, resolve or change
import { z } from "zod";

import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isConfiguredHsm } from "@/lib/hsm/connections";
import { normaliseScope } from "@/lib/hsm/role-assignments";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { whatIf } from "@/lib/sod/engine";
import { computeAccessState } from "@/lib/sod/service";
import { guid, hsmName, roleScope } from "@/lib/validation/primitives";

const body = z.discriminatedUnion("op", [
  z
    .object({
      op: z.literal("add"),
      hsm: hsmName,
      scope: roleScope,
      roleDefinitionId: guid,
      principalId: guid,
    })
    .strict(),
  z.object({ op: z.literal("remove"), hsm: hsmName, name: z.string().min(1).max(64) }).strict(),
]);

const answerWhatIf = withRoute({
  access: { permission: "access.read" },
  schemas: { body },
  handler: async ({ body: change }) => {
    if (!isConfiguredHsm(change.hsm))
      throw new AppError(
        "not_found",
        `There is no HSM named ${change.hsm} in this portal's configuration.`,
      );
    const state = await computeAccessState(await getDb());
    if (change.op === "remove") {
      if (!state.model.assignments.some((a) => a.hsm === change.hsm && a.name === change.name))
        throw new AppError(
          "not_found",
          `HSM ${change.hsm} has no role assignment ${change.name} in the inventory.`,
        );
      return whatIf(state.model, change, state.settings);
    }
    const roleDefinitionId = change.roleDefinitionId.toLowerCase();
    if (!state.model.roles.some((r) => r.hsm === change.hsm && r.id === roleDefinitionId))
      throw new AppError(
        "validation_failed",
        `HSM ${change.hsm} has no role definition ${change.roleDefinitionId}.`,
      );
    return whatIf(
      state.model,
      {
        op: "add",
        assignment: {
          hsm: change.hsm,
          scope: normaliseScope(change.scope),
          roleDefinitionId,
          principalId: change.principalId.toLowerCase(),
        },
      },
      state.settings,
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: answerWhatIf,
});
