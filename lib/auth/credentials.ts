import "server-only";

import type { ConfidentialClientApplication } from "@azure/msal-node";

import type { AuthConfig } from "@/lib/auth/config";
import type { Msal } from "@/lib/auth/msal";
import { withSessionTokenCache } from "@/lib/auth/session-tokens";
import type { PortalSession } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/*
 * Token sources for lib/hsm, shaped like @azure/core-auth's TokenCredential so the Azure SDK can
 * use them directly: the portal's own application identity (client credentials), and the
 * signed-in user's delegated identity through On-Behalf-Of.
 */

export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
}

export interface TokenSource {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

function toAccessToken(
  result: { accessToken: string; expiresOn: Date | null } | null,
): AccessToken {
  if (!result?.accessToken)
    throw new AppError("upstream_failed", "The identity provider returned no access token.");
  return {
    token: result.accessToken,
    expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 300_000,
  };
}

function asArray(scopes: string | string[]): string[] {
  return Array.isArray(scopes) ? scopes : [scopes];
}

/** The portal's application identity. MSAL caches its tokens in this process until they expire. */
export function applicationTokenSource(msal: Msal): TokenSource {
  let client: Promise<ConfidentialClientApplication> | undefined;
  return {
    getToken: async (scopes) => {
      client ??= msal.client();
      return toAccessToken(
        await (await client).acquireTokenByClientCredential({ scopes: asArray(scopes) }),
      );
    },
  };
}

/**
 * The signed-in user's identity at a downstream resource: the session's access token for the
 * portal's own API is exchanged On-Behalf-Of the user. MSAL refreshes the portal token from the
 * session's refresh token when needed and caches the exchanged token in the session.
 */
export function delegatedTokenSource(
  msal: Msal,
  config: AuthConfig,
  db: Db,
  session: PortalSession,
): TokenSource {
  return {
    getToken: (scopes) =>
      withSessionTokenCache(msal, config, db, session, async (client, account) => {
        const portalToken = await client.acquireTokenSilent({ account, scopes: [config.apiScope] });
        const exchanged = await client.acquireTokenOnBehalfOf({
          oboAssertion: portalToken.accessToken,
          scopes: asArray(scopes),
        });
        return toAccessToken(exchanged);
      }),
  };
}
