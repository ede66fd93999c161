import type { LogLevel } from "@/lib/env-variables";
import type { Ed25519PublicJwk } from "@/lib/env-variables-audit";
import type { BackupAuthMode } from "@/lib/env-variables-backup";

/*
 * The validated configuration's shape, as lib/env.ts returns it (it re-exports these types).
 */

export interface HsmConfig {
  name: string;
  url: string;
  region: string;
  /** The only CA trusted for an HSM that is not Azure's (an emulator); azure mode only. */
  caFile?: string;
}
export type DatabaseConfig = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
export type AzureCredentialConfig =
  | { kind: "secret"; secret: string }
  | { kind: "certificate"; path: string }
  /** `clientId` is "system" for the system-assigned identity. */
  | { kind: "managedIdentity"; clientId: string }
  /** A token file another issuer writes (workload identity), presented as a federated credential. */
  | { kind: "federatedToken"; file: string };

export interface CommonEnv {
  dataDir: string;
  port: number;
  publicUrl: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  session: { idleMinutes: number; maxHours: number; changesPerMinute: number };
  hsmConcurrency: number;
  /** intervalMinutes 0: no scheduled sync (on demand only). */
  sync: { intervalMinutes: number; fullHours: number };
  /** Seconds between the backup scheduler's ticks; 0: no scheduled backups. */
  backupSchedulerSeconds: number;
  /** Seconds between the grant expiry job's runs. */
  grantExpirySeconds: number;
  directoryRefreshMinutes: number;
  sodMaxAdministrators: number;
  /** webhookSecret: signs the reminders when set (only with webhookUrl). */
  reminders: { days: number[]; webhookUrl: string | undefined; webhookSecret: string | undefined };
  /** Where change-request events are posted, signed; undefined: no notifications. */
  notify: { webhookUrl: string; secret: string } | undefined;
  /** The bearer token that may read the readiness details (a load balancer's, a monitor's). */
  readyToken: string | undefined;
  /** OpenTelemetry export; no endpoint: off. */
  telemetry: {
    endpoint: string | undefined;
    headers: Record<string, string>;
    serviceName: string;
    metricIntervalMs: number;
  };
  /** checkpointMinutes 0: no checkpoint job. previousKeys: retired signing keys, still trusted. */
  audit: { checkpointMinutes: number; previousKeys: Ed25519PublicJwk[] };
  /**
   * Where on-demand backups go (undefined: none configured, azure mode only), how the HSM writes
   * there, and when an HSM whose last good backup is older is stale (alerted by webhook).
   */
  backup: { containerUrl: string | undefined; auth: BackupAuthMode; staleHours: number };
}
export interface LocalEnv extends CommonEnv {
  mode: "local";
  azurite: { port: number; blobEndpoint: string };
  idp: { port: number; loginPort: number; issuer: string; browserOrigin: string };
  /** The local CA that signs the identity provider's and the emulator's certificates. */
  localCaFile: string;
  /** The emulated HSMs, each with the port it listens on. */
  hsms: (HsmConfig & { port: number })[];
  /** How many portal processes the launcher runs on the portal's port. */
  portalWorkers: number;
  /** The old-generation heap limit of each portal process, in MB. */
  portalHeapMb: number;
  /** `GET /bench-bare` answers (benchmarks only). */
  benchBareRoute: boolean;
}
export interface AzureEnv extends CommonEnv {
  mode: "azure";
  sessionKeys: string[];
  tenantId: string;
  clientId: string;
  credential: AzureCredentialConfig;
  authorityHost: string;
  /** Microsoft Graph's origin, also its token resource. */
  graphEndpoint: string;
  hsms: HsmConfig[];
  /** Where the audit checkpoints are signed with and kept (locally: secrets.json and Azurite). */
  auditAnchor: { signingKeyFile: string; containerUrl: string };
}
export type Env = LocalEnv | AzureEnv;
