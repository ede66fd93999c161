import { servicePrincipalIdOf, type Directory } from "@keyward/identity-provider";

import { LOCAL_PORTAL_CLIENT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";

/**
 * The principals that hold Managed HSM Administrator on every local HSM from its creation, as
 * the creator's list does in Azure: the portal's own identity (it executes approved changes) and
 * the tool client (scripts and other projects' tests).
 */
export function emulatorAdministrators(directory: Directory): string[] {
  return [LOCAL_PORTAL_CLIENT_ID, LOCAL_TOOL_CLIENT_ID].map((appId) =>
    servicePrincipalIdOf(directory, appId),
  );
}
