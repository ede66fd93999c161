import { z } from "zod";

import { AUDIT_VARIABLES } from "@/lib/env-variables-audit";
import { AZURE_VARIABLES } from "@/lib/env-variables-azure";
import { BACKUP_VARIABLES } from "@/lib/env-variables-backup";
import { hours, JOB_VARIABLES, minutes } from "@/lib/env-variables-jobs";
import { TELEMETRY_VARIABLES } from "@/lib/env-variables-telemetry";
import { WEBHOOK_VARIABLES } from "@/lib/env-variables-webhooks";
import { DEFAULT_EMULATOR_PORTS, LOCAL_HSMS } from "@/lib/local-hsms";
import { port } from "@/lib/validation/primitives";

/*
 * Every setting Keyward understands, declared once: its schema, its meaning, an example and
 * where it applies. lib/env.ts reads them; the README's configuration reference is checked
 * against this list by a unit test.
 */

export type Mode = "local" | "azure";
/** `test` settings are read by the test runners only, never by the portal. */
export type Scope = "all" | Mode | "test";

export interface VariableSpec {
  name: string;
  scope: Scope;
  description: string;
  example: string;
  /** The value used when the variable is unset; absent means "no default". */
  defaultValue?: string;
  requiredIn?: Mode;
  secret?: boolean;
  schema: z.ZodType;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const emulatorPorts = z
  .string()
  .transform((raw) => raw.split(",").map((p) => p.trim()) as unknown[])
  .pipe(
    z
      .array(port)
      .length(LOCAL_HSMS.length, `must list ${LOCAL_HSMS.length} ports, one per local HSM`)
      .refine((ports) => new Set(ports).size === ports.length, "ports must differ"),
  );

const sessionKeys = z
  .string()
  .transform((raw) => raw.split(",").map((k) => k.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .refine(
            (k) => Buffer.from(k, "base64").length === 32,
            "each key must be 32 bytes in base64",
          ),
      )
      .min(1),
  );

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  message: "must be a postgres:// URL",
});

export const ENV_VARIABLES = [
  {
    name: "KEYWARD_MODE",
    scope: "all",
    description:
      "`local` runs against the local emulator, identity provider and Azurite; `azure` against Microsoft Entra ID and real Managed HSMs.",
    example: "azure",
    defaultValue: "local",
    schema: z.enum(["local", "azure"], { message: "must be local or azure" }),
  },
  {
    name: "KEYWARD_DATA_DIR",
    scope: "all",
    description:
      "Directory for local state: the SQLite database, certificates, Azurite data and `local.json`.",
    example: "/var/lib/keyward",
    defaultValue: ".keyward",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "KEYWARD_PORT",
    scope: "all",
    description: "Port the launcher serves the portal on (`npm start` uses Next's `PORT`).",
    example: "3000",
    defaultValue: "3000",
    schema: port,
  },
  {
    name: "KEYWARD_PUBLIC_URL",
    scope: "all",
    description:
      "The portal's origin as browsers reach it; used for redirect URIs and the origin check on mutations.",
    example: "https://keyward.contoso.com",
    defaultValue: "http://localhost:$KEYWARD_PORT (local mode)",
    requiredIn: "azure",
    schema: z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }),
  },
  {
    name: "DATABASE_URL",
    scope: "all",
    description:
      "PostgreSQL connection string. Unset in local mode: SQLite at `$KEYWARD_DATA_DIR/keyward.db`.",
    example: "postgres://keyward@db.internal:5432/keyward",
    requiredIn: "azure",
    secret: true,
    schema: postgresUrl,
  },
  {
    name: "LOG_LEVEL",
    scope: "all",
    description: "Minimum level of the JSON logs written to standard output.",
    example: "debug",
    defaultValue: "info",
    schema: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }),
  },
  {
    name: "KEYWARD_AZURITE_PORT",
    scope: "local",
    description: "Port of the local Azurite blob service started by the launcher.",
    example: "10010",
    defaultValue: "10000",
    schema: port,
  },
  {
    name: "KEYWARD_IDP_PORT",
    scope: "local",
    description:
      "HTTPS port of the local identity provider (issuer, token endpoint, keys, directory API).",
    example: "8454",
    defaultValue: "8444",
    schema: port,
  },
  {
    name: "KEYWARD_IDP_LOGIN_PORT",
    scope: "local",
    description:
      "HTTP port where browsers reach the local identity provider's sign-in and sign-out pages.",
    example: "8455",
    defaultValue: "8445",
    schema: port,
  },
  {
    name: "KEYWARD_PORTAL_WORKERS",
    scope: "local",
    description:
      "Portal processes the launcher runs on the one port, to use several cores (Node's cluster module); `1` runs a single standalone server (`.next/standalone/server.js`, what `npm start` runs). `npm run dev` always runs one.",
    example: "2",
    defaultValue: "the number of CPUs, at most 4",
    schema: z.coerce.number().int("must be a whole number").min(1).max(16, "must be at most 16"),
  },
  {
    name: "KEYWARD_PORTAL_HEAP_MB",
    scope: "local",
    description:
      "The old-generation heap limit of each portal process the launcher starts (Node's `--max-old-space-size`, with 8 MB semi-spaces): V8 collects garbage before the process grows past it, so streaming an evidence pack stays within ~300 MB resident. Elsewhere, give the portal the same through NODE_OPTIONS.",
    example: "256",
    defaultValue: "192",
    schema: z.coerce
      .number()
      .int("must be a whole number")
      .min(128, "must be at least 128")
      .max(16_384, "must be at most 16384"),
  },
  {
    name: "KEYWARD_BENCH_BARE_ROUTE",
    scope: "local",
    description:
      "Benchmarks only: `1` answers `GET /bench-bare`, a bare route handler (no proxy, no session, no database) that `npm run bench:portal` measures the portal's fixed cost against; otherwise that path is not found.",
    example: "1",
    defaultValue: "off",
    schema: z.enum(["0", "1"], { message: "must be 0 or 1" }),
  },
  {
    name: "KEYWARD_EMULATOR_PORTS",
    scope: "local",
    description: `HTTPS ports of the emulated HSMs, comma-separated, in this order: ${LOCAL_HSMS.map((h) => `\`${h.name}\``).join(", ")}.`,
    example: "9443,9446",
    defaultValue: DEFAULT_EMULATOR_PORTS.join(","),
    schema: emulatorPorts,
  },
  {
    name: "KEYWARD_SESSION_KEYS",
    scope: "azure",
    description:
      "Comma-separated base64 keys of 32 bytes that encrypt session data at rest; the first encrypts, all decrypt (rotate by prepending). Generate one with `openssl rand -base64 32`.",
    example: "q2V0c2Vzc2lvbmtleWZvcmtleXdhcmRub3RyZWFsISE=",
    requiredIn: "azure",
    secret: true,
    schema: sessionKeys,
  },
  {
    name: "KEYWARD_SESSION_IDLE_MINUTES",
    scope: "all",
    description: "Minutes without a request after which a session ends.",
    example: "15",
    defaultValue: "30",
    schema: minutes,
  },
  {
    name: "KEYWARD_SESSION_MAX_HOURS",
    scope: "all",
    description: "Hours after sign-in after which a session ends, however active.",
    example: "8",
    defaultValue: "12",
    schema: hours,
  },
  {
    name: "KEYWARD_SESSION_CHANGES_PER_MINUTE",
    scope: "all",
    description:
      "Changes (POST, PUT, PATCH, DELETE through the API) one session may send per minute; past it the API answers 429 with Retry-After.",
    example: "30",
    defaultValue: "60",
    schema: z.coerce.number().int().min(1).max(1_000_000),
  },
  ...AZURE_VARIABLES,
  {
    name: "KEYWARD_HSM_CONCURRENCY",
    scope: "all",
    description:
      "Requests the portal keeps in flight to one HSM at most (sync, pages and API together).",
    example: "16",
    defaultValue: "32",
    schema: z.coerce.number().int("must be a whole number").min(1).max(64, "must be at most 64"),
  },
  ...JOB_VARIABLES,
  {
    name: "KEYWARD_SOD_MAX_ADMINISTRATORS",
    scope: "all",
    description:
      "The separation-of-duties rule on administrators flags an HSM with more administrators than this (the starting value; key administrators can change it on the separation-of-duties page).",
    example: "4",
    defaultValue: "5",
    schema: z.coerce.number().int("must be a whole number").min(2).max(100),
  },
  {
    name: "KEYWARD_REMINDER_DAYS",
    scope: "all",
    description:
      "Days before each key rotation and expiry on which the portal reminds (calendar, feed alarms and webhook), comma-separated.",
    example: "60,14,3",
    defaultValue: "30,7,1",
    schema: z
      .string()
      .transform((text) => text.split(",").map((part) => Number(part.trim())))
      .pipe(
        z
          .array(z.number().int("must be whole days").min(1).max(365))
          .min(1)
          .max(5, "at most 5 reminders"),
      )
      .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  },
  ...WEBHOOK_VARIABLES,
  ...TELEMETRY_VARIABLES,
  {
    name: "KEYWARD_READY_TOKEN",
    scope: "all",
    description:
      "A bearer token for the load balancer or monitoring: `GET /api/ready` with `Authorization: Bearer <token>` lists every dependency and how it answers; without it, only key administrators and auditors see them, and anyone else gets the status alone. Generate one with `openssl rand -base64 32`.",
    example: "hJ0vW1x8Jt5mZxkQ8l0oU3yq1rC4c2Wn9eXQx0z5aVY=",
    secret: true,
    schema: z
      .string()
      .min(32, "must be at least 32 characters")
      .max(512, "must be at most 512 characters")
      .regex(/^[A-Za-z0-9._~+/=-]+$/, "must be letters, digits and - . _ ~ + / = only"),
  },
  ...AUDIT_VARIABLES,
  ...BACKUP_VARIABLES,
  {
    name: "TEST_DATABASE_URL",
    scope: "test",
    description:
      "Tests only: a PostgreSQL database the database tests also run against (they always run on SQLite). `.ci/run` sets it.",
    example: "postgres://postgres@127.0.0.1:5432/test",
    secret: true,
    schema: postgresUrl,
  },
  {
    name: "KEYWARD_CHROMIUM_PATH",
    scope: "test",
    description: "Tests only: the Chromium executable the end-to-end tests drive.",
    example: "/usr/lib/chromium/chromium",
    defaultValue: "/usr/bin/chromium",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "KEYWARD_BENCH_RESULTS",
    scope: "test",
    description:
      "Benchmarks only: set by `npm run bench` to the file each benchmark appends its calibrated figures to.",
    example: "/tmp/keyward-bench-Ab12Cd/results.jsonl",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "KEYWARD_E2E_DATA_DIR",
    scope: "test",
    description:
      "Tests only: set by the end-to-end global setup to the data directory of the stack it started.",
    example: "/tmp/keyward-e2e-Ab12Cd",
    schema: z.string().min(1, "must not be empty"),
  },
] as const satisfies readonly VariableSpec[];

export type LogLevel = (typeof LOG_LEVELS)[number];
