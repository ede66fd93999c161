import "server-only";

import type { TokenSource } from "@/lib/auth/credentials";
import { isAppError } from "@/lib/errors";
import { createHsmHandle } from "@/lib/hsm/handle";
import { probeHsm } from "@/lib/hsm/probe";
import { listHsmWideAssignments, listRoleDefinitions } from "@/lib/hsm/role-assignments";
import type { ConfiguredHsm } from "@/lib/hsm/targets";

import { assignCommand, capabilityCoverage } from "./coverage";
import { skipped, type DoctorCheck } from "./report";

/*
 * The HSM half of the doctor: each HSM answers with the Key Vault challenge, and the portal
 * identity's role assignments there cover each capability, computed from the HSM's own
 * assignments and role definitions.
 */

const PROBE_TIMEOUT_MS = 5000;

/**
 * The HSM's resource name, as `az --hsm-name` takes it: the first label of its host
 * (contoso-weu.managedhsm.azure.net), or the configured name for a host without one (localhost).
 */
export function hsmResourceName(hsm: ConfiguredHsm): string {
  const labels = new URL(hsm.url).hostname.split(".");
  return labels.length > 1 && labels[0] ? labels[0] : hsm.name;
}

async function checkChallenge(hsm: ConfiguredHsm): Promise<DoctorCheck> {
  const title = `${hsm.name}: Answers`;
  try {
    await probeHsm(hsm, AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return {
      id: `hsm:${hsm.name}`,
      title,
      status: "pass",
      detail: `${hsm.url} answers with the Key Vault challenge.`,
    };
  } catch (error) {
    return {
      id: `hsm:${hsm.name}`,
      title,
      status: "fail",
      detail: `${hsm.url}: ${(error as Error).message}`,
      fix: "Check the URL in KEYWARD_HSMS (https://<name>.managedhsm.azure.net), that the HSM is activated, and that this machine reaches it (private endpoint DNS, firewall, the HSM's network rules).",
    };
  }
}

async function checkRoles(
  hsm: ConfiguredHsm,
  tokens: TokenSource,
  principalId: string,
): Promise<DoctorCheck[]> {
  const handle = createHsmHandle(hsm, tokens);
  let assignments, definitions;
  try {
    [assignments, definitions] = await Promise.all([
      listHsmWideAssignments(handle, "interactive"),
      listRoleDefinitions(handle, "interactive"),
    ]);
  } catch (error) {
    const message = (error as Error).message;
    const refused = isAppError(error) && error.code === "forbidden";
    return [
      {
        id: `hsm:${hsm.name}:read`,
        title: `${hsm.name}: Read keys and access`,
        status: "fail",
        detail: `The portal identity could not read the HSM's role assignments: ${message}`,
        fix: refused
          ? assignCommand(hsmResourceName(hsm), "Managed HSM Crypto Auditor", "/", principalId)
          : "The HSM answered the challenge but not the read: check that it is activated (its security domain downloaded) and not throttling, then run the doctor again.",
      },
    ];
  }
  return capabilityCoverage({
    hsmName: hsmResourceName(hsm),
    principalId,
    assignments,
    definitions,
  }).map(({ capability, missing, grantedBy, fixes }) => {
    const id = `hsm:${hsm.name}:${capability.id}`;
    const title = `${hsm.name}: ${capability.label}`;
    if (missing.length === 0)
      return { id, title, status: "pass", detail: `Granted by ${grantedBy.join(", ")}.` };
    const kinds = capability.kinds.length > 0 ? ` (${capability.kinds.join(", ")})` : "";
    return {
      id,
      title,
      status: capability.required ? "fail" : "warn",
      detail: `Missing ${missing.join(", ")}: ${capability.without}${kinds}.`,
      fix:
        fixes.length > 0
          ? fixes.join("\n")
          : `No built-in role of this HSM grants ${missing.join(", ")}: create a custom role that does and assign it to ${principalId}.`,
    };
  });
}

export async function checkHsms(
  hsms: readonly ConfiguredHsm[],
  tokens: TokenSource,
  principalId: string | undefined,
): Promise<DoctorCheck[]> {
  const perHsm = await Promise.all(
    hsms.map(async (hsm) => {
      const challenge = await checkChallenge(hsm);
      if (challenge.status === "fail")
        return [
          challenge,
          skipped(
            `hsm:${hsm.name}:roles`,
            `${hsm.name}: role assignments`,
            "the HSM does not answer",
          ),
        ];
      if (!principalId)
        return [
          challenge,
          skipped(
            `hsm:${hsm.name}:roles`,
            `${hsm.name}: role assignments`,
            "there is no token, so no portal identity to look for",
          ),
        ];
      return [challenge, ...(await checkRoles(hsm, tokens, principalId))];
    }),
  );
  return perHsm.flat();
}
