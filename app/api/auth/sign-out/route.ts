// POST /api/auth/sign-out – end this session here and at the identity provider
import { NextResponse } from "next/server";

import { signOut } from "@/lib/auth/account";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const signOutHere = withRoute({
  access: "public",
  audit: { action: "session.sign-out" },
  response: {
    status: 303,
    description:
      "Signed out here; redirects to the identity provider's sign-out, or to /signed-out",
  },
  handler: async ({ session, log, audit }) => {
    let destination = `${getEnv().publicUrl}/signed-out`;
    if (session) {
      const providerLogout = await signOut(session, audit, (error) =>
        log.warn(
          { err: error },
          "cannot reach the identity provider's sign-out; signing out here only",
        ),
      );
      log.info({ oid: session.userOid }, "signed out");
      destination = providerLogout ?? destination;
    }
    const response = NextResponse.redirect(destination, 303);
    clearSessionCookie(response);
    return response;
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: signOutHere });
