import { z } from "zod";

import { hsmName } from "@/lib/validation/primitives";
import { optionalParam } from "@/lib/validation/search-params";

/* URL parameters of the role-assignment views and their export. */

export const assignmentFiltersSchema = z.object({
  hsm: optionalParam(hsmName),
  role: optionalParam(z.string().max(200)),
  kind: optionalParam(z.enum(["user", "group", "servicePrincipal", "unknown"])),
  scope: optionalParam(z.enum(["hsm", "key"])),
  q: optionalParam(z.string().max(200)),
});
export type AssignmentFilterParams = z.infer<typeof assignmentFiltersSchema>;
