/*
 * A separate process that appends audit events through the real service, as a second portal
 * instance would: used by the concurrency test and by bench/audit.ts. Run with
 *   node --conditions=react-server --import tsx lib/audit/testing/append-worker.ts <database> <count> <name>
 * where <database> is a postgres:// URL or a SQLite file path. Prints one JSON line when done.
 */
import { auditedTransaction } from "@/lib/audit/service";
import { createDb } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/env";

const [database, countText, name = "worker"] = process.argv.slice(2);
const count = Number(countText);
if (!database || !Number.isInteger(count) || count < 1) {
  process.stderr.write("usage: append-worker.ts <postgres URL | SQLite file> <count> [name]\n");
  process.exit(2);
}
const config: DatabaseConfig = database.startsWith("postgres")
  ? { kind: "postgres", url: database }
  : { kind: "sqlite", file: database };
const db = createDb(config);
const context = {
  actor: { type: "system" as const, id: "system", name },
  requestId: null,
  action: "test.append",
};

const startedAt = performance.now();
for (let i = 0; i < count; i += 1)
  await auditedTransaction(
    context,
    () => Promise.resolve(i),
    (n) => ({ target: { worker: name, n } }),
    db,
  );
const ms = performance.now() - startedAt;
await db.destroy();
process.stdout.write(`${JSON.stringify({ name, count, ms })}\n`);
