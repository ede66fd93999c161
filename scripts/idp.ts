// The local identity provider as its own process (started by the launcher, or npm run idp)
import path from "node:path";
import { parseArgs } from "node:util";

import { loadEnv } from "@/lib/env";
import { startIdp } from "@/lib/idp/server";
import { readLocalSecrets } from "@/lib/local-secrets";

import { loadLocalTls } from "./lib/tls";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "login-port": { type: "string" },
    "portal-url": { type: "string" },
    "data-dir": { type: "string" },
  },
});

const env = loadEnv();
if (env.mode !== "local") throw new Error("the local identity provider runs in local mode only");
const dataDir = path.resolve(values["data-dir"] ?? env.dataDir);
const idp = await startIdp({
  secrets: readLocalSecrets(dataDir),
  tls: (await loadLocalTls(dataDir)).server,
  port: Number(values.port ?? env.idp.port),
  loginPort: Number(values["login-port"] ?? env.idp.loginPort),
  portalUrl: values["portal-url"] ?? env.publicUrl,
  logLevel: env.logLevel,
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void idp.close().then(() => process.exit(0)));
