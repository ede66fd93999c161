// GET /api/me/sessions – the signed-in user's active sessions
import { listOwnSessions } from "@/lib/auth/account";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listSessionsOfCurrentUser = withRoute({
  access: { permission: "account.read" },
  handler: async ({ session }) => ({ sessions: await listOwnSessions(session) }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listSessionsOfCurrentUser,
});
