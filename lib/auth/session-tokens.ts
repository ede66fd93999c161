import "server-only";

import {
  InteractionRequiredAuthError,
  type AccountInfo,
  type ConfidentialClientApplication,
} from "@azure/msal-node";

import type { AuthConfig } from "@/lib/auth/config";
import type { Msal } from "@/lib/auth/msal";
import {
  readSealedTokenCache,
  saveSealedTokenCache,
  type PortalSession,
} from "@/lib/auth/sessions";
import { seal, unseal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/**
 * Runs `fn` with an MSAL client holding this session's token cache, and stores the cache back
 * (sealed) when MSAL changed it, e.g. after refreshing a token.
 */
export async function withSessionTokenCache<T>(
  msal: Msal,
  config: AuthConfig,
  db: Db,
  session: PortalSession,
  fn: (client: ConfidentialClientApplication, account: AccountInfo) => Promise<T>,
): Promise<T> {
  const sealed = await readSealedTokenCache(db, session.id);
  const cache = sealed ? unseal(sealed, config.sessionKeys, "session-token-cache") : null;
  if (!cache)
    throw new AppError("unauthenticated", "This session holds no usable tokens; sign in again.");
  const client = await msal.client();
  client.getTokenCache().deserialize(cache);
  const accounts = await client.getTokenCache().getAllAccounts();
  const account = accounts.find((a) => a.localAccountId === session.userOid) ?? accounts[0];
  if (!account)
    throw new AppError("unauthenticated", "This session holds no account; sign in again.");
  try {
    return await fn(client, account);
  } catch (error) {
    if (error instanceof InteractionRequiredAuthError)
      throw new AppError("unauthenticated", "Your sign-in needs to be renewed; sign in again.", {
        cause: error,
      });
    throw error;
  } finally {
    const after = client.getTokenCache().serialize();
    if (after !== cache)
      await saveSealedTokenCache(
        db,
        session.id,
        seal(after, config.sessionKeys, "session-token-cache"),
      );
  }
}

/**
 * The identity provider's end-session URL for this session (with the ID token as hint), or null
 * when the provider has none; the browser returns to the portal's signed-out page.
 */
export async function endSessionUrl(
  msal: Msal,
  config: AuthConfig,
  db: Db,
  session: PortalSession,
): Promise<string | null> {
  const { value: metadata } = await msal.metadata.getMetadata();
  if (!metadata.end_session_endpoint) return null;
  const url = new URL(metadata.end_session_endpoint);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("post_logout_redirect_uri", config.postLogoutRedirectUri);
  const idToken = await withSessionTokenCache(msal, config, db, session, (_client, account) =>
    Promise.resolve(account.idToken),
  ).catch(() => undefined);
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  return url.toString();
}
