import "server-only";

import { principalOf } from "@/lib/access/model";
import { accessState } from "@/lib/access/service";
import type { ChangeNames } from "@/lib/requests/describe-change";
import type { RequestDetail } from "@/lib/requests/types";

/**
 * Names for the principal and role ids of a role-assignment request, from the access model the
 * mirror and the directory cache hold; other kinds carry no ids to name.
 */
export async function changeNames(request: RequestDetail): Promise<ChangeNames> {
  if (!request.hsm || !request.kind.startsWith("role-assignment.")) return {};
  const { model } = await accessState();
  const hsm = request.hsm;
  return {
    principal: (id) => {
      const principal = principalOf(model, id.toLowerCase());
      if (principal.status === "missing") return `deleted principal ${id}`;
      return principal.displayName ?? undefined;
    },
    role: (id) =>
      model.roles.find((role) => role.hsm === hsm && role.id.toLowerCase() === id.toLowerCase())
        ?.roleName,
  };
}
