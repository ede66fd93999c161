// A portal's executor in a process of its own, for the tests that kill one mid-bulk or race two.
import { createDb } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import type { DatabaseConfig } from "@/lib/env";
import { createHsmHandle } from "@/lib/hsm/handle";
import { executeApprovedRequests } from "@/lib/requests/executor";
import { localAppCredential } from "@/scripts/lib/local-credential";

export interface ExecutorWorkerConfig {
  database: DatabaseConfig;
  hsm: { name: string; url: string };
  caPem: string;
  issuer: string;
  appId: string;
  secret: string;
  sealKey: string;
  /** Take the executor's lease first, as the portal's job does (false: race on guarded updates alone). */
  lease: boolean;
  itemConcurrency: number;
  /** Runs as if this much later: a resumed executor takes over a killed one's claims at once. */
  clockOffsetMs?: number;
}

// The configuration arrives on stdin: it holds a client secret, which argv would show to anyone.
let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const config = JSON.parse(input) as ExecutorWorkerConfig;
const db = createDb(config.database);
const handle = createHsmHandle(
  { name: config.hsm.name, region: "Test", url: config.hsm.url, caPem: config.caPem },
  localAppCredential(config),
);
const deps = {
  db,
  handleOf: () => handle,
  sealKeys: [Buffer.from(config.sealKey, "base64")],
  actor: { type: "application" as const, id: config.appId, name: `executor ${process.pid}` },
  itemConcurrency: config.itemConcurrency,
  ...(config.clockOffsetMs ? { now: () => Date.now() + config.clockOffsetMs! } : {}),
};
const ran = config.lease
  ? await withLease("requests:executor", 5_000, (signal) => executeApprovedRequests(deps, signal), {
      db,
    })
  : { acquired: true as const, value: await executeApprovedRequests(deps) };
process.stdout.write(
  JSON.stringify({ acquired: ran.acquired, ran: ran.acquired ? ran.value : [] }),
);
await db.destroy();
