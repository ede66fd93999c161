// POST /api/sod/what-if – the findings a role assignment change would add, resolve or change
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { whatIfChange } from "@/lib/sod/service";
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
  changesNothing: true,
  schemas: { body },
  handler: ({ body: change }) => whatIfChange(change),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: answerWhatIf,
});
