// npm run evidence:verify pack.zip -- --keys audit-keys.json – checks an evidence pack offline
import fs from "node:fs";
import { parseArgs } from "node:util";

import { readPack } from "@/lib/evidence/read-pack";
import { keySetSchema, verifyPack } from "@/lib/evidence/verify-pack";

/*
 * Whether an evidence pack is what the portal exported, without the portal: the manifest's
 * signature against the audit signing keys (the JSON that GET /api/audit/keys answers, saved to
 * a file or fetched from its URL), then every file's SHA-256. Prints the outcome as JSON, each
 * problem naming its file. Exit codes: 0 the pack holds; 1 it does not; 2 a usage error.
 */

const USAGE =
  "usage: npm run evidence:verify <pack.zip> -- --keys <audit-keys.json | https://portal/api/audit/keys>";

function finish(code: number, output: object): void {
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`, () => process.exit(code));
}

function usageError(message: string): void {
  process.stderr.write(`${message}\n${USAGE}\n`, () => process.exit(2));
}

async function readKeys(source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    return response.json();
  }
  return JSON.parse(fs.readFileSync(source, "utf8"));
}

async function main(): Promise<void> {
  let pack: string | undefined;
  let keys: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      options: { keys: { type: "string" } },
      allowPositionals: true,
    });
    [pack] = positionals;
    keys = values.keys;
    if (positionals.length !== 1 || !keys)
      return usageError("evidence:verify: name one pack and --keys");
  } catch (error) {
    return usageError(`evidence:verify: ${(error as Error).message}`);
  }
  if (!fs.existsSync(pack!)) return usageError(`evidence:verify: there is no file ${pack}`);
  let keySet;
  try {
    keySet = keySetSchema.parse(await readKeys(keys));
  } catch (error) {
    return usageError(
      `evidence:verify: ${keys} is not the portal's audit key set (GET /api/audit/keys): ${(error as Error).message}`,
    );
  }
  try {
    const verification = await verifyPack(await readPack(pack!), keySet);
    finish(verification.ok ? 0 : 1, {
      ok: verification.ok,
      kid: verification.kid,
      period: verification.manifest?.period ?? null,
      hsms: verification.manifest?.hsms ?? null,
      exporter: verification.manifest?.exporter ?? null,
      files: verification.manifest?.files.length ?? 0,
      problems: verification.problems,
    });
  } catch (error) {
    finish(1, {
      ok: false,
      problems: [{ file: pack, problem: `is not a readable ZIP: ${(error as Error).message}` }],
    });
  }
}

void main();
