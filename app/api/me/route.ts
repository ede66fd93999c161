// GET /api/me – the signed-in user, their portal roles and permissions, and this session
import { describeAccount } from "@/lib/auth/account";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const describeCurrentUser = withRoute({
  access: { permission: "account.read" },
  handler: ({ session }) => Promise.resolve(describeAccount(session)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: describeCurrentUser,
});
