import { getEnv } from "@/lib/env";
import { NAV_ITEMS } from "@/lib/nav";
import { KEYWARD_VERSION } from "@/lib/version";
import { AppSidebar } from "@/components/layout/app-sidebar";
import { SiteHeader } from "@/components/layout/site-header";

export default function PortalLayout({ children }: { children: React.ReactNode }) {
  const env = getEnv();
  const modeLabel = env.mode === "local" ? "Local mode" : `Tenant ${env.tenantId.slice(0, 8)}…`;
  return (
    <div className="flex min-h-svh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to main content
      </a>
      <AppSidebar items={NAV_ITEMS} footer={<span>Keyward {KEYWARD_VERSION}</span>} />
      <div className="flex min-w-0 flex-1 flex-col">
        <SiteHeader items={NAV_ITEMS} modeLabel={modeLabel} />
        <main id="main" tabIndex={-1} className="flex-1 p-4 outline-none md:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
