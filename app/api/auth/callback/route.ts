// GET /api/auth/callback – the identity provider returns here: create the session
import { NextResponse } from "next/server";
import { z } from "zod";

import { recordAuditEvent } from "@/lib/audit/service";
import { finishSignIn } from "@/lib/auth/account";
import { SIGN_IN_COOKIE } from "@/lib/auth/constants";
import { clearSignInCookie, setSessionCookie } from "@/lib/auth/cookies";
import { SignInError } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const text = z.string().max(8192).optional();

const completeSignInAtCallback = withRoute({
  access: "public",
  audit: { action: "session.sign-in" },
  response: {
    status: 303,
    description:
      "Signed in (the session cookie is set) and redirected to where the sign-in started, or to /sign-in with an error",
  },
  schemas: {
    query: z.looseObject({
      code: text,
      state: text,
      error: text,
      error_description: text,
      client_info: text,
    }),
  },
  handler: async ({ request, query, session, log, audit }) => {
    const { publicUrl } = getEnv();
    try {
      const signedIn = await finishSignIn(
        {
          query: query as Record<string, string | undefined>,
          cookie: request.cookies.get(SIGN_IN_COOKIE)?.value,
          userAgent: request.headers.get("user-agent") ?? "",
        },
        session,
        audit,
      );
      log.info({ oid: signedIn.session.userOid, roles: signedIn.session.roles }, "signed in");
      const response = NextResponse.redirect(new URL(signedIn.returnTo, publicUrl), 303);
      setSessionCookie(response, signedIn.token);
      clearSignInCookie(response);
      return response;
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      log.warn({ reason: error.reason, detail: error.message }, "sign-in refused");
      // Nothing was changed: a refusal the audit log cannot take is logged, not turned into a 500.
      if (error.afterCodeRedemption)
        await recordAuditEvent(audit, {
          target: {},
          outcome: "denied",
          detail: { reason: error.reason, why: error.message },
        }).catch((auditError: unknown) =>
          log.error({ err: auditError }, "the audit log could not record a refused sign-in"),
        );
      const response = NextResponse.redirect(
        new URL(`/sign-in?error=${error.reason}`, publicUrl),
        303,
      );
      clearSignInCookie(response);
      return response;
    }
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: completeSignInAtCallback,
});
