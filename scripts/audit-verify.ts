// npm run audit:verify – walks the audit chain against its signed checkpoints and prints the outcome
import { AuditKeyError } from "@/lib/audit/signing-key";
import { describeVerification, verifyAuditLog } from "@/lib/audit/verification";
import { getDb } from "@/lib/db/client";
import { ConfigError, getEnv } from "@/lib/env";

/*
 * The same verification as GET /api/audit/verify, from a shell with the portal's configuration
 * (the same KEYWARD_* settings and DATABASE_URL; locally the stack must run, for its Azurite).
 * Prints the outcome as JSON on standard output. Exit codes: 0 the chain and every checkpoint
 * hold; 1 a problem was found or the checkpoints could not be read (never "ok" then); 2 a usage
 * or configuration error (bad settings, no signing key).
 */

const USAGE = "usage: npm run audit:verify (no arguments; configured like the portal)";

/** Exits once the output is written (a pipe is asynchronous: exiting at once could cut it). */
function finish(code: number, output: object): void {
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`, () => process.exit(code));
}

function usageError(message: string): void {
  process.stderr.write(`${message}\n`, () => process.exit(2));
}

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause ? error.cause : error;
}

async function main(): Promise<void> {
  if (process.argv.length > 2) return usageError(USAGE);
  try {
    getEnv();
  } catch (error) {
    if (error instanceof ConfigError) return usageError(error.message);
    throw error;
  }
  let verification;
  try {
    verification = describeVerification(await verifyAuditLog(await getDb()));
  } catch (error) {
    const cause = causeOf(error);
    if (cause instanceof AuditKeyError) return usageError(`audit:verify: ${cause.message}`);
    return finish(1, { ok: false, error: (error as Error).message });
  }
  finish(verification.ok ? 0 : 1, verification);
}

void main();
