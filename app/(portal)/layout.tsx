import { requireSession } from "@/lib/auth/current-session";
import { portalRoles } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/env";
import { navFor, withReviewCount } from "@/lib/nav";
import { requestsToReview } from "@/lib/requests/service";
import { KEYWARD_VERSION } from "@/lib/version";
import { ReturnFocus } from "@/components/data-table/return-focus";
import { AppSidebar } from "@/components/layout/app-sidebar";
import { NoAccess } from "@/components/layout/no-access";
import { SiteHeader } from "@/components/layout/site-header";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  const env = getEnv();
  const modeLabel = env.mode === "local" ? "Local mode" : `Tenant ${env.tenantId.slice(0, 8)}…`;
  const user = {
    name: session.displayName,
    username: session.username,
    roles: portalRoles(session.roles),
  };
  if (user.roles.length === 0) return <NoAccess user={user} />;

  // One count query, and only for approvers: the badge beside "Change requests".
  const items = withReviewCount(navFor(session.roles), await requestsToReview(session));
  return (
    <div className="flex min-h-svh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to main content
      </a>
      <AppSidebar items={items} footer={<span>Keyward {KEYWARD_VERSION}</span>} />
      <div className="flex min-w-0 flex-1 flex-col">
        <SiteHeader items={items} modeLabel={modeLabel} user={user} />
        <main id="main" tabIndex={-1} className="flex-1 p-4 outline-none md:p-6">
          {children}
        </main>
        <ReturnFocus />
      </div>
    </div>
  );
}
