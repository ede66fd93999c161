// DELETE /api/me/sessions/[sessionId] – end one of the signed-in user's own sessions
import { NextResponse } from "next/server";
import { z } from "zod";

import { endOwnSession } from "@/lib/auth/account";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const endSessionOfCaller = withRoute({
  access: { permission: "account.sessions.end" },
  audit: { action: "session.end" },
  response: {
    status: 204,
    description: "The session is ended (and its cookie cleared when it is this one)",
  },
  schemas: { params: z.object({ sessionId: z.uuid("must be a session id") }) },
  handler: async ({ params, session, log, audit }) => {
    const ended = await endOwnSession(session, params.sessionId, audit);
    if (!ended) throw new AppError("not_found", "You have no active session with this id.");
    log.info({ oid: session.userOid, endedSession: params.sessionId }, "session ended by its user");
    const response = new NextResponse(null, { status: 204 });
    if (params.sessionId === session.publicId) clearSessionCookie(response);
    return response;
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  DELETE: endSessionOfCaller,
});
