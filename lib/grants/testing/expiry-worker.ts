// The grant expiry job in a process of its own, for the test that kills one half-way.
import { createDb } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/env";
import { expireDueGrants } from "@/lib/grants/expiry";
import { createHsmHandle } from "@/lib/hsm/handle";
import { localAppCredential } from "@/scripts/lib/local-credential";

export interface ExpiryWorkerConfig {
  database: DatabaseConfig;
  hsm: { name: string; url: string };
  caPem: string;
  issuer: string;
  appId: string;
  secret: string;
  /** The clock the job reads (a grant's end has come by then). */
  now: number;
}

// The configuration arrives on stdin: it holds a client secret, which argv would show to anyone.
let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const config = JSON.parse(input) as ExpiryWorkerConfig;
const db = createDb(config.database);
const handle = createHsmHandle(
  { name: config.hsm.name, region: "Test", url: config.hsm.url, caPem: config.caPem },
  localAppCredential(config),
);
const outcome = await expireDueGrants({
  db,
  handleOf: () => handle,
  actor: { type: "application", id: config.appId, name: `grant expiry ${process.pid}` },
  now: () => config.now,
});
process.stdout.write(JSON.stringify(outcome));
await db.destroy();
