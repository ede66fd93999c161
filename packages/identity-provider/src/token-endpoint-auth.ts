import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parse as parseForm, type ParsedUrlQuery } from "node:querystring";
import type { KoaContextWithOIDC } from "oidc-provider";
import { z } from "zod";

import type { ApplicationCredentials } from "./application-credentials";
import { AssertionRefused, type AssertionVerifier } from "./client-assertion";
import { CLIENT_ASSERTION_TYPE } from "./constants";
import type { Logger } from "./log";

/*
 * Client assertions at the token endpoint, for every grant (client credentials, authorization
 * code, refresh token, On-Behalf-Of), beside the client secret, as Entra ID takes them.
 *
 * Why a middleware that swaps the assertion for the client's secret: oidc-provider registers
 * one authentication method per client, so a client could not keep its secret and also use a
 * certificate (private_key_jwt); and its private_key_jwt takes the client id from the
 * assertion's `sub`, which a federated credential's token (a managed identity's) never carries.
 * So this middleware checks the assertion itself (client-assertion.ts) and, once it holds, hands
 * oidc-provider the same request authenticated the way the client is registered: with its
 * secret, which never leaves this process. oidc-provider reads the request stream itself and has
 * no hook between parsing and client authentication, but it does take a body parsed upstream
 * (as when mounted behind a body parser, printing a one-time notice), so the form read here is
 * handed on that way. Only while some application has a certificate or a federated credential:
 * otherwise the provider handles its token requests untouched.
 */

/** oidc-provider's own limit on a request body. */
const MAX_BODY_BYTES = 56 * 1024;

const assertionForm = z.object({
  client_assertion_type: z.literal(CLIENT_ASSERTION_TYPE),
  client_assertion: z.string().min(1),
  client_id: z.string().min(1).optional(),
  // Two credentials in one request: left to oidc-provider, which refuses it.
  client_secret: z.never().optional(),
});

const authenticatedByAssertion = new WeakSet<object>();

/** Whether this request's client proved itself with an assertion (Entra's `appidacr` 2). */
export function isAssertionAuthenticated(ctx: unknown): boolean {
  return typeof ctx === "object" && ctx !== null && authenticatedByAssertion.has(ctx);
}

/** The whole body, or undefined past the limit (read to the end, so the answer still goes out). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString("utf8") : undefined;
}

/** Entra's error response: the AADSTS code in the description and in `error_codes`. */
function refuse(ctx: KoaContextWithOIDC, refused: AssertionRefused) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  ctx.status = refused.error === "invalid_client" ? 401 : 400;
  ctx.set("cache-control", "no-store");
  ctx.body = {
    error: refused.error,
    error_description: `${refused.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [refused.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
}

interface Options {
  credentials: ApplicationCredentials;
  verifier: AssertionVerifier;
  /** The client secret oidc-provider knows the application by, if it is one of its clients. */
  secretOf: (appId: string) => string | undefined;
  log: Logger;
}

export function clientAssertionAuthentication({ credentials, verifier, secretOf, log }: Options) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (
      ctx.method !== "POST" ||
      ctx.path !== "/token" ||
      credentials.isEmpty() ||
      !ctx.is("application/x-www-form-urlencoded")
    ) {
      await next();
      return;
    }
    const text = await readBody(ctx.req);
    if (text === undefined) {
      refuse(
        ctx,
        new AssertionRefused(900144, "The request body is too large.", "invalid_request"),
      );
      return;
    }
    const form: ParsedUrlQuery = parseForm(text);
    const presented = assertionForm.safeParse(form);
    if (presented.success && !ctx.get("authorization")) {
      const { client_id: clientIdParameter, client_assertion: assertion } = presented.data;
      try {
        const { clientId, kind } = await verifier.verify(clientIdParameter, assertion);
        const secret = secretOf(clientId);
        if (!secret)
          throw new AssertionRefused(700016, `Application '${clientId}' is not a client here.`);
        delete form.client_assertion;
        delete form.client_assertion_type;
        Object.assign(form, { client_id: clientId, client_secret: secret });
        authenticatedByAssertion.add(ctx);
        log.debug({ clientId, kind }, "client authenticated by assertion");
      } catch (error) {
        if (!(error instanceof AssertionRefused)) throw error;
        // The assertion itself is a credential for its lifetime: never logged.
        log.warn(
          { clientId: clientIdParameter, code: `AADSTS${error.code}`, reason: error.description },
          "client assertion refused",
        );
        refuse(ctx, error);
        return;
      }
    }
    (ctx.req as IncomingMessage & { body?: ParsedUrlQuery }).body = form;
    await next();
  };
}
