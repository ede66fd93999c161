import "server-only";

import { randomBytes, timingSafeEqual } from "node:crypto";
import { CryptoProvider } from "@azure/msal-node";
import { z } from "zod";

import type { AuthConfig } from "@/lib/auth/config";
import { verifyIdToken } from "@/lib/auth/id-token";
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
  ) {
    super(message);
  }
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
  if (error === "access_denied")
    throw new SignInError("cancelled", "the user cancelled the sign-in");
  if (error)
    throw new SignInError(
      "failed",
      `the identity provider answered ${error}: ${input.query.error_description ?? ""}`,
    );
  if (!code || !state || !sameValue(state, transaction.state))
    throw new SignInError(
      "expired",
      "the callback does not match the sign-in this browser started",
    );

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
  const claims = await verifyIdToken(result.idToken, {
    keys: msal.metadata.signingKeys,
    issuer: metadata.issuer,
    audience: config.clientId,
    tenantId: config.tenantId,
    nonce: transaction.nonce,
  });

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
        // Without an auth_time claim, only a sign-in that forced credentials proves their age.
        authTime:
          claims.auth_time !== undefined
            ? claims.auth_time * 1000
            : transaction.reauthenticate
              ? now
              : null,
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
