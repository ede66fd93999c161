import "server-only";

import { randomBytes, timingSafeEqual } from "node:crypto";
import { CryptoProvider } from "@azure/msal-node";
import { z } from "zod";

import type { AuthConfig } from "@/lib/auth/config";
import { IdTokenError, verifyIdToken } from "@/lib/auth/id-token";
import type { Msal } from "@/lib/auth/msal";
import { safeReturnTo } from "@/lib/auth/return-to";
import { createSession, type PortalSession } from "@/lib/auth/sessions";
import { seal, unseal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";

/*
 * Authorization code flow with PKCE through MSAL. The browser carries the sign-in transaction
 * (state, nonce, PKCE verifier, where to return) in a sealed, short-lived cookie, which binds
 * the callback to the browser that started the sign-in (no login CSRF).
 */

export const SIGN_IN_TTL_MS = 10 * 60_000;

export type SignInFailure = "cancelled" | "expired" | "failed";

export class SignInError extends Error {
  override name = "SignInError";
  constructor(
    readonly reason: SignInFailure,
    message: string,
    /**
     * Whether the provider had redeemed a code for this browser's sign-in: only then is the
     * refusal about a person and worth the audit log. Anything earlier (no transaction, another
     * state, an error in the address) anyone can send as often as they like; it is logged only.
     */
    readonly afterCodeRedemption = false,
  ) {
    super(message);
  }
}

/** How far the provider's clock may trail ours when it says when credentials were entered. */
const AUTH_TIME_SKEW_MS = 60_000;

/**
 * When the user last entered credentials, as the session keeps it. A sign-in that demanded
 * fresh credentials must prove it with the ID token's auth_time: the browser controls the
 * address that asked for prompt=login, so without the claim nothing shows they were entered.
 */
export function authTimeOf(
  authTimeSeconds: number | undefined,
  transaction: Pick<SignInTransaction, "reauthenticate" | "createdAt">,
): number | null {
  if (!transaction.reauthenticate)
    return authTimeSeconds === undefined ? null : authTimeSeconds * 1000;
  if (authTimeSeconds === undefined)
    throw new SignInError(
      "failed",
      "the identity provider did not say when the credentials were entered (the ID token has no auth_time claim; add it as an optional claim of the app registration)",
      true,
    );
  if (authTimeSeconds * 1000 + AUTH_TIME_SKEW_MS < transaction.createdAt)
    throw new SignInError(
      "failed",
      "the identity provider reused an earlier sign-in instead of asking for the credentials again",
      true,
    );
  return authTimeSeconds * 1000;
}

const transactionSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
  reauthenticate: z.boolean(),
  createdAt: z.number(),
});

type SignInTransaction = z.infer<typeof transactionSchema>;

function randomValue(): string {
  return randomBytes(32).toString("base64url");
}

function sameValue(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface BeginSignIn {
  returnTo: string | undefined;
  /** Demand fresh credentials (prompt=login), as before approving a change. */
  reauthenticate: boolean;
}

/** Returns the identity provider URL to send the browser to, and the sealed cookie to set. */
export async function beginSignIn(
  msal: Msal,
  config: AuthConfig,
  request: BeginSignIn,
  now = Date.now(),
) {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const transaction: SignInTransaction = {
    state: randomValue(),
    nonce: randomValue(),
    verifier,
    returnTo: safeReturnTo(request.returnTo),
    reauthenticate: request.reauthenticate,
    createdAt: now,
  };
  const url = await (
    await msal.client()
  ).getAuthCodeUrl({
    scopes: [config.apiScope],
    redirectUri: config.redirectUri,
    responseMode: "query",
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state: transaction.state,
    nonce: transaction.nonce,
    ...(request.reauthenticate ? { prompt: "login", maxAge: 0 } : {}),
  });
  return {
    url,
    cookie: seal(JSON.stringify(transaction), config.sessionKeys, "sign-in-transaction"),
  };
}

export interface CallbackInput {
  query: Record<string, string | undefined>;
  cookie: string | undefined;
  userAgent: string;
}

function openTransaction(
  config: AuthConfig,
  cookie: string | undefined,
  now: number,
): SignInTransaction {
  const opened = cookie ? unseal(cookie, config.sessionKeys, "sign-in-transaction") : null;
  const parsed = opened ? transactionSchema.safeParse(JSON.parse(opened)) : undefined;
  if (!parsed?.success || now - parsed.data.createdAt > SIGN_IN_TTL_MS)
    throw new SignInError("expired", "no sign-in started in this browser in the last 10 minutes");
  return parsed.data;
}

export interface CompleteSignInOptions {
  now?: number;
  /** Runs in the transaction that creates the session (to end the old one, to audit the sign-in). */
  inSessionTransaction?: (trx: Db, session: PortalSession) => Promise<void>;
}

/**
 * Finishes a sign-in at the redirect URI: checks the transaction, redeems the code through MSAL,
 * verifies the ID token itself, and creates the session with MSAL's token cache sealed inside.
 */
export async function completeSignIn(
  msal: Msal,
  config: AuthConfig,
  db: Db,
  input: CallbackInput,
  { now = Date.now(), inSessionTransaction }: CompleteSignInOptions = {},
): Promise<{ token: string; session: PortalSession; returnTo: string }> {
  const transaction = openTransaction(config, input.cookie, now);
  const { code, state, error } = input.query;
  // The state first: an answer that is not for this browser's sign-in says nothing worth keeping.
  if (!state || !sameValue(state, transaction.state))
    throw new SignInError(
      "expired",
      "the callback does not match the sign-in this browser started",
    );
  if (error === "access_denied")
    throw new SignInError("cancelled", "the user cancelled the sign-in");
  if (error)
    throw new SignInError(
      "failed",
      `the identity provider answered ${error.slice(0, 64)}: ${(input.query.error_description ?? "").slice(0, 200)}`,
    );
  if (!code)
    throw new SignInError("failed", "the identity provider answered without an authorization code");

  const client = await msal.client();
  let result;
  try {
    result = await client.acquireTokenByCode(
      {
        code,
        scopes: [config.apiScope],
        redirectUri: config.redirectUri,
        codeVerifier: transaction.verifier,
        state: transaction.state,
        nonce: transaction.nonce,
      },
      { code, state, ...(input.query.client_info ? { client_info: input.query.client_info } : {}) },
    );
  } catch (cause) {
    throw new SignInError(
      "failed",
      `the authorization code could not be redeemed: ${(cause as Error).message}`,
    );
  }
  const { value: metadata } = await msal.metadata.getMetadata();
  let claims;
  try {
    claims = await verifyIdToken(result.idToken, {
      keys: msal.metadata.signingKeys,
      issuer: metadata.issuer,
      audience: config.clientId,
      tenantId: config.tenantId,
      nonce: transaction.nonce,
    });
  } catch (cause) {
    if (!(cause instanceof IdTokenError)) throw cause;
    throw new SignInError("failed", cause.message, true);
  }
  const authTime = authTimeOf(claims.auth_time, transaction);

  const sealedTokenCache = seal(
    client.getTokenCache().serialize(),
    config.sessionKeys,
    "session-token-cache",
  );
  const { token, session } = await db.transaction().execute(async (trx) => {
    const created = await createSession(
      trx,
      {
        userOid: claims.oid,
        tenantId: claims.tid,
        displayName: claims.name ?? claims.preferred_username ?? claims.oid,
        username: claims.preferred_username ?? claims.oid,
        roles: claims.roles,
        groups: claims.groups,
        authTime,
        userAgent: input.userAgent,
        sealedTokenCache,
      },
      config.session,
      now,
    );
    await inSessionTransaction?.(trx, created.session);
    return created;
  });
  // Checked again where it is followed: a transaction sealed by an older release may hold a
  // value that release let through.
  return { token, session, returnTo: safeReturnTo(transaction.returnTo) };
}
