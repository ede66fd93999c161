// POST /api/auth/sign-out – end this session here and at the identity provider
import { NextResponse } from "next/server";

import { getAuthConfig } from "@/lib/auth/config";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { getMsal } from "@/lib/auth/msal";
import { endSessionUrl } from "@/lib/auth/session-tokens";
import { deleteSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const signOut = withRoute({
  access: "public",
  handler: async ({ session, log }) => {
    let destination = `${getEnv().publicUrl}/signed-out`;
    if (session) {
      const db = await getDb();
      const providerLogout = await endSessionUrl(getMsal(), getAuthConfig(), db, session).catch(
        (error: unknown) => {
          log.warn(
            { err: error },
            "cannot reach the identity provider's sign-out; signing out here only",
          );
          return null;
        },
      );
      await deleteSession(db, session.id);
      log.info({ oid: session.userOid }, "signed out");
      destination = providerLogout ?? destination;
    }
    const response = NextResponse.redirect(destination, 303);
    clearSessionCookie(response);
    return response;
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: signOut });
