import type { NextConfig } from "next";

import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";
import { NAV_ITEMS } from "./lib/nav";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: true,
  serverExternalPackages: ["pino", "pino-pretty", "better-sqlite3", "pg", "kysely"],
  // The home page is the first section: an HTTP redirect, so the shell never renders empty first.
  redirects: () =>
    Promise.resolve([
      { source: "/", destination: NAV_ITEMS[0]?.href ?? "/status", permanent: false },
    ]),
  headers: () => Promise.resolve([{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }]),
};

export default nextConfig;
