import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { AzureCredentialConfig, CommonEnv, Env, HsmConfig } from "@/lib/env-types";
import { ENV_VARIABLES, type LogLevel, type Mode, type VariableSpec } from "@/lib/env-variables";
import type { Ed25519PublicJwk } from "@/lib/env-variables-audit";
import { LOCAL_BACKUP_CONTAINER, type BackupAuthMode } from "@/lib/env-variables-backup";
import { LOCAL_TENANT_ID } from "@/lib/identity-constants";
import { DEFAULT_EMULATOR_PORTS, LOCAL_HSMS } from "@/lib/local-hsms";

export { ENV_VARIABLES, type LogLevel };
export type {
  AzureCredentialConfig,
  AzureEnv,
  DatabaseConfig,
  Env,
  HsmConfig,
  LocalEnv,
} from "@/lib/env-types";

/*
 * The only reader of process.env. What each setting means is declared in lib/env-variables.ts;
 * this module validates a whole configuration at once and reports every wrong setting together.
 */

type Source = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    /** The mode the settings asked for, as far as it could be read. */
    readonly mode: Mode = "local",
  ) {
    super(
      `Keyward cannot start: ${problems.length} setting${problems.length === 1 ? " is" : "s are"} wrong.\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        "\nSee the configuration reference in README.md.",
    );
    this.name = "ConfigError";
  }
}

const specsByName = new Map<string, VariableSpec>(ENV_VARIABLES.map((s) => [s.name, s]));

function problem(spec: VariableSpec, why: string): string {
  const sentence = why.replaceAll("`", "").replace(/\.?$/, ".");
  return `${spec.name}: ${sentence} Example: ${spec.name}=${spec.example}`;
}

/** Parses a configuration source (process.env by default) or throws one ConfigError naming every bad setting. */
export function loadEnv(source: Source = process.env, cwd = process.cwd()): Env {
  const problems: string[] = [];
  const raw = (name: string) => {
    const value = source[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const read = <T>(name: string, fallback?: string): T | undefined => {
    const spec = specsByName.get(name);
    if (!spec) throw new Error(`undeclared setting ${name}`);
    const value = raw(name) ?? fallback;
    if (value === undefined) return undefined;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) return parsed.data as T;
    const why = parsed.error.issues[0]?.message ?? "is invalid";
    problems.push(problem(spec, spec.secret ? why : `${why} (got ${JSON.stringify(value)})`));
    return undefined;
  };

  const mode = read<Mode>("KEYWARD_MODE", "local") ?? "local";
  for (const name of Object.keys(source)) {
    if (!name.startsWith("KEYWARD_") || raw(name) === undefined) continue;
    const spec = specsByName.get(name);
    if (!spec) problems.push(`${name}: is not a Keyward setting (check the spelling)`);
    else if (spec.scope !== "all" && spec.scope !== "test" && spec.scope !== mode)
      problems.push(`${name}: applies only when KEYWARD_MODE=${spec.scope}`);
  }
  for (const spec of ENV_VARIABLES) {
    if ("requiredIn" in spec && spec.requiredIn === mode && raw(spec.name) === undefined)
      problems.push(problem(spec, `is required when KEYWARD_MODE=${mode}: ${spec.description}`));
  }

  const dataDir = path.resolve(cwd, read<string>("KEYWARD_DATA_DIR", ".keyward") ?? ".keyward");
  const portalPort = read<number>("KEYWARD_PORT", "3000") ?? 3000;
  const publicUrl = read<string>("KEYWARD_PUBLIC_URL") ?? `http://localhost:${portalPort}`;
  const databaseUrl = read<string>("DATABASE_URL");
  const common: CommonEnv = {
    dataDir,
    port: portalPort,
    publicUrl: new URL(publicUrl).origin,
    logLevel: read<LogLevel>("LOG_LEVEL", "info") ?? "info",
    database: databaseUrl
      ? { kind: "postgres", url: databaseUrl }
      : { kind: "sqlite", file: path.join(dataDir, "keyward.db") },
    session: {
      idleMinutes: read<number>("KEYWARD_SESSION_IDLE_MINUTES", "30") ?? 30,
      maxHours: read<number>("KEYWARD_SESSION_MAX_HOURS", "12") ?? 12,
      changesPerMinute: read<number>("KEYWARD_SESSION_CHANGES_PER_MINUTE", "60") ?? 60,
    },
    hsmConcurrency: read<number>("KEYWARD_HSM_CONCURRENCY", "32") ?? 32,
    sync: {
      intervalMinutes: read<number>("KEYWARD_SYNC_INTERVAL_MINUTES", "5") ?? 5,
      fullHours: read<number>("KEYWARD_FULL_SYNC_HOURS", "24") ?? 24,
    },
    backupSchedulerSeconds: read<number>("KEYWARD_BACKUP_SCHEDULER_SECONDS", "60") ?? 60,
    grantExpirySeconds: read<number>("KEYWARD_GRANT_EXPIRY_SECONDS", "30") ?? 30,
    directoryRefreshMinutes: read<number>("KEYWARD_DIRECTORY_REFRESH_MINUTES", "60") ?? 60,
    sodMaxAdministrators: read<number>("KEYWARD_SOD_MAX_ADMINISTRATORS", "5") ?? 5,
    reminders: {
      days: read<number[]>("KEYWARD_REMINDER_DAYS", "30,7,1") ?? [30, 7, 1],
      ...readWebhook(read, problems, "KEYWARD_REMINDER_WEBHOOK", { secretRequired: false }),
    },
    notify: notifyWebhook(
      readWebhook(read, problems, "KEYWARD_NOTIFY_WEBHOOK", { secretRequired: true }),
    ),
    readyToken: read<string>("KEYWARD_READY_TOKEN"),
    telemetry: {
      endpoint: read<string>("OTEL_EXPORTER_OTLP_ENDPOINT")?.replace(/\/$/, ""),
      headers: read<Record<string, string>>("OTEL_EXPORTER_OTLP_HEADERS") ?? {},
      serviceName: read<string>("OTEL_SERVICE_NAME", "keyward") ?? "keyward",
      metricIntervalMs: read<number>("OTEL_METRIC_EXPORT_INTERVAL", "60000") ?? 60_000,
    },
    audit: {
      checkpointMinutes: read<number>("KEYWARD_AUDIT_CHECKPOINT_MINUTES", "10") ?? 10,
      previousKeys: read<Ed25519PublicJwk[]>("KEYWARD_AUDIT_PREVIOUS_KEYS") ?? [],
    },
    backup: {
      containerUrl: read<string>("KEYWARD_BACKUP_CONTAINER_URL")?.replace(/\/$/, ""),
      auth: read<BackupAuthMode>("KEYWARD_BACKUP_AUTH", "sas") ?? "sas",
      staleHours: read<number>("KEYWARD_BACKUP_STALE_HOURS", "26") ?? 26,
    },
  };

  if (mode === "local") {
    const azuritePort = read<number>("KEYWARD_AZURITE_PORT", "10000") ?? 10000;
    const idpPort = read<number>("KEYWARD_IDP_PORT", "8444") ?? 8444;
    const idpLoginPort = read<number>("KEYWARD_IDP_LOGIN_PORT", "8445") ?? 8445;
    const emulatorPorts =
      read<number[]>("KEYWARD_EMULATOR_PORTS", DEFAULT_EMULATOR_PORTS.join(",")) ??
      DEFAULT_EMULATOR_PORTS;
    const portalWorkers =
      read<number>("KEYWARD_PORTAL_WORKERS") ?? Math.min(os.availableParallelism(), 4);
    const portalHeapMb = read<number>("KEYWARD_PORTAL_HEAP_MB", "192") ?? 192;
    const benchBareRoute = read<string>("KEYWARD_BENCH_BARE_ROUTE") === "1";
    if (problems.length > 0) throw new ConfigError(problems, mode);
    const blobEndpoint = `http://127.0.0.1:${azuritePort}/devstoreaccount1`;
    return {
      ...common,
      mode,
      portalWorkers,
      portalHeapMb,
      benchBareRoute,
      azurite: { port: azuritePort, blobEndpoint },
      backup: {
        ...common.backup,
        containerUrl: common.backup.containerUrl ?? `${blobEndpoint}/${LOCAL_BACKUP_CONTAINER}`,
      },
      idp: {
        port: idpPort,
        loginPort: idpLoginPort,
        issuer: `https://localhost:${idpPort}/${LOCAL_TENANT_ID}/v2.0`,
        browserOrigin: `http://localhost:${idpLoginPort}`,
      },
      localCaFile: path.join(dataDir, "tls", "ca.pem"),
      hsms: LOCAL_HSMS.map((hsm, index) => {
        const hsmPort = emulatorPorts[index]!;
        return { ...hsm, port: hsmPort, url: `https://localhost:${hsmPort}` };
      }),
    };
  }

  const credential = readAzureCredential(read, problems, cwd);
  const publicOrigin = new URL(common.publicUrl);
  if (publicOrigin.protocol !== "https:" && publicOrigin.hostname !== "localhost")
    problems.push(
      problem(specsByName.get("KEYWARD_PUBLIC_URL")!, "must use https:// in azure mode"),
    );
  const azure = {
    tenantId: read<string>("AZURE_TENANT_ID"),
    clientId: read<string>("AZURE_CLIENT_ID"),
    authorityHost: read<string>("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com"),
    graphEndpoint: read<string>("AZURE_GRAPH_ENDPOINT", "https://graph.microsoft.com"),
    hsms: read<HsmConfig[]>("KEYWARD_HSMS"),
    sessionKeys: read<string[]>("KEYWARD_SESSION_KEYS"),
    auditSigningKeyFile: read<string>("KEYWARD_AUDIT_SIGNING_KEY_FILE"),
    auditContainerUrl: read<string>("KEYWARD_AUDIT_CONTAINER_URL"),
  };
  for (const hsm of azure.hsms ?? [])
    if (hsm.caFile !== undefined && !isReadableFile(path.resolve(cwd, hsm.caFile)))
      problems.push(
        `KEYWARD_HSMS: the caFile of ${hsm.name} (${path.resolve(cwd, hsm.caFile)}) is not a readable file.`,
      );
  if (problems.length > 0) throw new ConfigError(problems, mode);
  return {
    ...common,
    mode,
    tenantId: azure.tenantId!,
    clientId: azure.clientId!,
    authorityHost: new URL(azure.authorityHost!).origin,
    graphEndpoint: new URL(azure.graphEndpoint!).origin,
    hsms: azure.hsms!.map((hsm) =>
      hsm.caFile === undefined ? hsm : { ...hsm, caFile: path.resolve(cwd, hsm.caFile) },
    ),
    credential: credential!,
    sessionKeys: azure.sessionKeys!,
    auditAnchor: {
      signingKeyFile: path.resolve(cwd, azure.auditSigningKeyFile!),
      containerUrl: azure.auditContainerUrl!.replace(/\/$/, ""),
    },
  };
}

/**
 * A webhook's URL and the secret that signs what is posted to it: a secret without its URL is a
 * mistake (nothing would be signed), and so is a missing one where signing is required.
 */
function readWebhook(
  read: <T>(name: string) => T | undefined,
  problems: string[],
  prefix: "KEYWARD_REMINDER_WEBHOOK" | "KEYWARD_NOTIFY_WEBHOOK",
  { secretRequired }: { secretRequired: boolean },
): { webhookUrl: string | undefined; webhookSecret: string | undefined } {
  const [urlName, secretName] = [`${prefix}_URL`, `${prefix}_SECRET`];
  const webhookUrl = read<string>(urlName);
  const webhookSecret = read<string>(secretName);
  const secretSpec = specsByName.get(secretName)!;
  const reported = (name: string) => problems.some((p) => p.startsWith(`${name}:`));
  if (webhookSecret && !webhookUrl && !reported(urlName))
    problems.push(problem(secretSpec, `is set but ${urlName} is not: set both, or neither`));
  if (secretRequired && webhookUrl && !webhookSecret && !reported(secretName))
    problems.push(
      problem(secretSpec, `is required with ${urlName}: every notification is signed with it`),
    );
  return { webhookUrl, webhookSecret };
}

function notifyWebhook(webhook: {
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
}): CommonEnv["notify"] {
  return webhook.webhookUrl && webhook.webhookSecret
    ? { webhookUrl: webhook.webhookUrl, secret: webhook.webhookSecret }
    : undefined;
}

/** The credential setting; its file paths resolved against `cwd`, as every file setting is. */
function readAzureCredential(
  read: <T>(name: string) => T | undefined,
  problems: string[],
  cwd: string,
): AzureCredentialConfig | undefined {
  const secret = read<string>("AZURE_CLIENT_SECRET");
  const certificate = read<string>("AZURE_CLIENT_CERTIFICATE_PATH");
  const managedIdentity = read<string>("AZURE_MANAGED_IDENTITY");
  const federatedTokenFile = read<string>("AZURE_FEDERATED_TOKEN_FILE");
  const given = [secret, certificate, managedIdentity, federatedTokenFile].filter(
    (v) => v !== undefined,
  ).length;
  if (given !== 1) {
    problems.push(
      `AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_MANAGED_IDENTITY, AZURE_FEDERATED_TOKEN_FILE: set exactly one ` +
        `(${given} set) so Keyward can prove its identity to Entra ID. Example: AZURE_MANAGED_IDENTITY=system`,
    );
    return undefined;
  }
  if (secret) return { kind: "secret", secret };
  if (certificate) return { kind: "certificate", path: path.resolve(cwd, certificate) };
  if (federatedTokenFile)
    return { kind: "federatedToken", file: path.resolve(cwd, federatedTokenFile) };
  return { kind: "managedIdentity", clientId: managedIdentity! };
}

let cached: Env | undefined;

/** The validated configuration of this process, parsed once. */
export function getEnv(): Env {
  cached ??= loadEnv();
  return cached;
}

/** The environment for a child process the launcher starts: this one's, plus overrides. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** NODE_OPTIONS for a child process: this one's, then `flags` (the later of two flags wins). */
export function nodeOptionsWith(flags: readonly string[]): string {
  return [process.env.NODE_OPTIONS?.trim(), ...flags].filter(Boolean).join(" ");
}

/** True under `next dev`, which needs a looser CSP for fast refresh. */
export function isDevelopmentServer(): boolean {
  return process.env.NODE_ENV === "development";
}

export interface TestSettings {
  databaseUrl: string | undefined;
  chromiumPath: string;
  e2eDataDir: string | undefined;
  /** Where a benchmark run by `npm run bench` appends its figures. */
  benchResultsFile: string | undefined;
}

/** Settings of the test runners (see the `test` entries of ENV_VARIABLES). */
export function readTestSettings(source: Source = process.env): TestSettings {
  const value = (name: string) => {
    const raw = source[name]?.trim();
    if (!raw) return undefined;
    const parsed = specsByName.get(name)!.schema.safeParse(raw);
    if (!parsed.success) throw new ConfigError([problem(specsByName.get(name)!, "is invalid")]);
    return parsed.data as string;
  };
  return {
    databaseUrl: value("TEST_DATABASE_URL"),
    chromiumPath: value("KEYWARD_CHROMIUM_PATH") ?? "/usr/bin/chromium",
    e2eDataDir: value("KEYWARD_E2E_DATA_DIR"),
    benchResultsFile: value("KEYWARD_BENCH_RESULTS"),
  };
}

/** Hands a value to processes started later by a test runner (its workers inherit it). */
export function shareWithTestWorkers(name: "KEYWARD_E2E_DATA_DIR", value: string): void {
  process.env[name] = value;
}

/** Where browsers go to sign in and out: the identity provider's front door. */
export function signInOrigin(env: Env): string {
  return env.mode === "local" ? env.idp.browserOrigin : env.authorityHost;
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
