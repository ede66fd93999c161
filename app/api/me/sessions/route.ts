// GET /api/me/sessions – the signed-in user's active sessions
import { listOwnSessions } from "@/lib/auth/account";
import { withRoute } from "@/lib/http/with-route";

export const GET = withRoute({
  access: { permission: "account.read" },
  handler: async ({ session }) => ({ sessions: await listOwnSessions(session) }),
});
