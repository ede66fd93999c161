import "server-only";

import fs from "node:fs";

import { decodeKeys } from "@/lib/crypto/seal";
import { getEnv, type AzureCredentialConfig, type Env } from "@/lib/env";
import {
  LOCAL_PORTAL_CLIENT_ID,
  LOCAL_TENANT_ID,
  PORTAL_API_SCOPE_NAME,
} from "@/lib/identity-constants";
import { readLocalSecrets } from "@/lib/local-secrets";

/** Everything sign-in needs, for Entra ID (azure mode) or the local identity provider. */
export interface AuthConfig {
  tenantId: string;
  clientId: string;
  /** MSAL's authority. */
  authority: string;
  metadataUrl: string;
  /**
   * The authority hosts MSAL accepts: the one configured. MSAL knows Microsoft's clouds already;
   * any other configured authority (the local provider, or one standing in for Entra ID in a
   * test) it would look up at Microsoft's instance discovery and refuse.
   */
  knownAuthorities: string[];
  credential: AzureCredentialConfig;
  /** The only CA trusted for the identity provider, when it is the local one. */
  caPem: string | undefined;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** The portal's own API scope; its access token is the On-Behalf-Of assertion. */
  apiScope: string;
  sessionKeys: Buffer[];
  session: { idleMs: number; maxMs: number };
}

export function authConfigFrom(env: Env): AuthConfig {
  const common = {
    redirectUri: `${env.publicUrl}/api/auth/callback`,
    postLogoutRedirectUri: `${env.publicUrl}/signed-out`,
    session: { idleMs: env.session.idleMinutes * 60_000, maxMs: env.session.maxHours * 3_600_000 },
  };
  if (env.mode === "local") {
    const secrets = readLocalSecrets(env.dataDir);
    return {
      ...common,
      tenantId: LOCAL_TENANT_ID,
      clientId: LOCAL_PORTAL_CLIENT_ID,
      authority: env.idp.issuer,
      metadataUrl: `${env.idp.issuer}/.well-known/openid-configuration`,
      knownAuthorities: [new URL(env.idp.issuer).host],
      credential: { kind: "secret", secret: secrets.portalClientSecret },
      caPem: fs.readFileSync(env.localCaFile, "utf8"),
      apiScope: `api://${LOCAL_PORTAL_CLIENT_ID}/${PORTAL_API_SCOPE_NAME}`,
      sessionKeys: decodeKeys(secrets.sessionKeys),
    };
  }
  return {
    ...common,
    tenantId: env.tenantId,
    clientId: env.clientId,
    authority: `${env.authorityHost}/${env.tenantId}`,
    metadataUrl: `${env.authorityHost}/${env.tenantId}/v2.0/.well-known/openid-configuration`,
    knownAuthorities: [new URL(env.authorityHost).host],
    credential: env.credential,
    caPem: undefined,
    apiScope: `api://${env.clientId}/${PORTAL_API_SCOPE_NAME}`,
    sessionKeys: decodeKeys(env.sessionKeys),
  };
}

let cached: AuthConfig | undefined;

export function getAuthConfig(): AuthConfig {
  cached ??= authConfigFrom(getEnv());
  return cached;
}
