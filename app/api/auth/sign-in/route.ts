// GET /api/auth/sign-in – send the browser to the identity provider to sign in
import { NextResponse } from "next/server";
import { z } from "zod";

import { getAuthConfig } from "@/lib/auth/config";
import { setSignInCookie } from "@/lib/auth/cookies";
import { getMsal } from "@/lib/auth/msal";
import { beginSignIn } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const startSignIn = withRoute({
  access: "public",
  schemas: {
    query: z.object({
      returnTo: z.string().max(2048).optional(),
      reauth: z.literal("1", { message: "must be 1 to demand a fresh sign-in" }).optional(),
    }),
  },
  handler: async ({ query, log }) => {
    try {
      const { url, cookie } = await beginSignIn(getMsal(), getAuthConfig(), {
        returnTo: query.returnTo,
        reauthenticate: query.reauth === "1",
      });
      const response = NextResponse.redirect(url, 302);
      setSignInCookie(response, cookie);
      return response;
    } catch (error) {
      log.error({ err: error }, "cannot start a sign-in: the identity provider does not answer");
      return NextResponse.redirect(new URL("/sign-in?error=unavailable", getEnv().publicUrl), 303);
    }
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: startSignIn });
