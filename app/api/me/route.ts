// GET /api/me – the signed-in user, their portal roles and permissions, and this session
import { describeAccount } from "@/lib/auth/account";
import { withRoute } from "@/lib/http/with-route";

export const GET = withRoute({
  access: { permission: "account.read" },
  handler: ({ session }) => Promise.resolve(describeAccount(session)),
});
