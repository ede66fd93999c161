import "server-only";

import fs from "node:fs";
import path from "node:path";

import { createDb, describeDatabase, pingDatabase } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/env";

import type { DoctorCheck } from "./report";

/*
 * What the portal itself needs before it serves anything: its database answering, and the key
 * that signs the audit checkpoints readable. Neither is changed: a PostgreSQL database is only
 * asked `select 1`, a SQLite file only looked at (opening it would create it).
 */

const DATABASE_TIMEOUT_MS = 5_000;

export async function checkDatabase(config: DatabaseConfig): Promise<DoctorCheck> {
  const base = { id: "database", title: "Database" } as const;
  if (config.kind === "sqlite") {
    if (fs.existsSync(config.file))
      return { ...base, status: "pass", detail: `${describeDatabase(config)} is there.` };
    const dir = path.dirname(config.file);
    try {
      fs.accessSync(fs.existsSync(dir) ? dir : path.dirname(dir), fs.constants.W_OK);
      return {
        ...base,
        status: "pass",
        detail: `${describeDatabase(config)} will be created at the first start.`,
      };
    } catch {
      return {
        ...base,
        status: "fail",
        detail: `${describeDatabase(config)} cannot be created: ${dir} is not writable.`,
        fix: "Set KEYWARD_DATA_DIR to a writable directory, or DATABASE_URL to a PostgreSQL database.",
      };
    }
  }
  const db = createDb(config);
  try {
    await Promise.race([
      pingDatabase(db),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
          DATABASE_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { ...base, status: "pass", detail: `${describeDatabase(config)} answers.` };
  } catch (error) {
    return {
      ...base,
      status: "fail",
      detail: `${describeDatabase(config)} does not answer: ${(error as Error).message}`,
      fix: "Check DATABASE_URL (host, port, database, user; sslmode for a managed server) and that this machine reaches the server.",
    };
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

export async function checkAuditSigningKey(
  load: () => Promise<{ signer: { kid: string } }>,
): Promise<DoctorCheck> {
  const base = { id: "audit-key", title: "Audit signing key" } as const;
  try {
    const { signer } = await load();
    return { ...base, status: "pass", detail: `An Ed25519 key, kid ${signer.kid}.` };
  } catch (error) {
    return {
      ...base,
      status: "fail",
      detail: (error as Error).message,
      fix: "openssl genpkey -algorithm ed25519 -out /etc/keyward/audit-signing.pem && chmod 600 /etc/keyward/audit-signing.pem, then set KEYWARD_AUDIT_SIGNING_KEY_FILE to its absolute path (keep the key: its public half verifies every checkpoint it signed).",
    };
  }
}
