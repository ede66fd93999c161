import type { NextConfig } from "next";

import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // A self-contained server with only the files it needs: .next/standalone (scripts/lib/standalone.ts adds the browser's assets).
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: true,
  // forbidden() renders app/forbidden.tsx with HTTP 403 when a page's permission check fails.
  experimental: { authInterrupts: true },
  serverExternalPackages: [
    "pino",
    "pino-pretty",
    "better-sqlite3",
    "pg",
    "kysely",
    "@azure/msal-node",
    "@azure/keyvault-keys",
    "@azure/keyvault-common",
    "@azure/core-rest-pipeline",
  ],
  headers: () => Promise.resolve([{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }]),
};

export default nextConfig;
