import { redirect } from "next/navigation";

import { requireSession } from "@/lib/auth/current-session";
import { navFor } from "@/lib/nav";

/** Home is the first section the signed-in user may open. */
export default async function HomePage() {
  const session = await requireSession();
  redirect(navFor(session.roles)[0]?.href ?? "/account");
}
