// npm run demo / npm run dev – the whole local stack in one command
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PortInUseError } from "@keyward/local-https";

import { ConfigError, loadEnv } from "@/lib/env";

import { LauncherError } from "./lib/launcher-error";
import { startStack, type RunningStack } from "./lib/stack";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mode = process.argv.includes("--dev") ? "dev" : "start";

let stack: RunningStack | undefined;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  process.stdout.write("\nStopping the local stack…\n");
  await stack?.stop();
  process.exit(code);
}

function fail(error: unknown): never {
  const known =
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof LauncherError;
  const message = known
    ? error.message
    : error instanceof Error
      ? (error.stack ?? error.message)
      : String(error);
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("exit", () => stack?.killNow());

try {
  loadEnv();
  process.stdout.write(
    `Starting Keyward's local stack (${mode === "dev" ? "next dev" : "production build"})…\n`,
  );
  stack = await startStack({
    root,
    portal: mode,
    ports: "configured",
    output: { kind: "terminal" },
    onUnexpectedExit: (service, code) => {
      process.stderr.write(
        `\n${service} exited unexpectedly (code ${code}); stopping the stack.\n`,
      );
      void stop(1);
    },
  });
} catch (error) {
  fail(error);
}

const { localJson, localJsonFile } = stack;
const rows: [string, string][] = [
  ["Portal", localJson.portal.url],
  ...localJson.hsms.map((hsm): [string, string] => [
    `HSM ${hsm.name}`,
    `${hsm.url} (emulator, ${hsm.region})`,
  ]),
  ["Blob storage", `${localJson.azurite.blobEndpoint} (Azurite)`],
  ["Database", `${localJson.database.kind} – ${localJson.database.location}`],
  ["Local CA", localJson.tls.caFile],
  ["Endpoints", localJsonFile],
];
process.stdout.write(
  [
    "",
    "Keyward is running in local mode.",
    ...rows.map(([label, value]) => `  ${label.padEnd(16)} ${value}`),
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n"),
);
