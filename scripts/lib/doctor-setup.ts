import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { clientSecretOf } from "@keyward/identity-provider";

import { auditKeysFromJwk, ed25519FromPem } from "@/lib/audit/signing-key";
import type { MsalSettings } from "@/lib/auth/msal";
import type { DoctorSetup } from "@/lib/doctor/setup";
import { GRAPH_RESOURCE, LOCAL_PORTAL_CLIENT_ID } from "@/lib/identity-constants";

import type { TestStack } from "./test-stack";

/**
 * A correct configuration of the doctor on the local test stack: the portal's registration and
 * secret at the local identity provider, its Graph-shaped API, a SQLite database in the stack's
 * folder and a real Ed25519 audit key. Tests give the HSMs and containers, and break one part.
 */
export function localDoctorSetup(
  stack: TestStack,
  parts: Partial<DoctorSetup> = {},
  msal: Partial<MsalSettings> = {},
): DoctorSetup {
  const issuer = stack.idp.issuer;
  const auditKey = generateKeyPairSync("ed25519").privateKey.export({
    type: "pkcs8",
    format: "pem",
  });
  return {
    mode: "local",
    database: { kind: "sqlite", file: path.join(stack.dataDir, "doctor", "keyward.db") },
    auditKeys: () => auditKeysFromJwk(ed25519FromPem(auditKey.toString()), []),
    msal: {
      clientId: LOCAL_PORTAL_CLIENT_ID,
      authority: issuer,
      metadataUrl: `${issuer}/.well-known/openid-configuration`,
      knownAuthorities: [new URL(issuer).host],
      credential: {
        kind: "secret",
        secret: clientSecretOf(stack.directory, stack.secrets, LOCAL_PORTAL_CLIENT_ID)!,
      },
      caPem: stack.caPem,
      ...msal,
    },
    graph: { baseUrl: `${new URL(issuer).origin}/graph/v1.0`, resource: GRAPH_RESOURCE },
    hsms: [],
    containers: [],
    ...parts,
  };
}
