import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { ConfigError, loadEnv, readTestSettings } from "@/lib/env";
import { AZURE_MINIMAL } from "@/lib/testing/azure-settings";

const CWD = "/srv/keyward";

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnv(source, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadEnv", () => {
  it("needs no variables in local mode", () => {
    const env = loadEnv({}, CWD);
    expect(env).toMatchObject({
      mode: "local",
      dataDir: path.join(CWD, ".keyward"),
      port: 3000,
      publicUrl: "http://localhost:3000",
      logLevel: "info",
      database: { kind: "sqlite", file: path.join(CWD, ".keyward", "keyward.db") },
      azurite: { port: 10000, blobEndpoint: "http://127.0.0.1:10000/devstoreaccount1" },
      backup: {
        containerUrl: "http://127.0.0.1:10000/devstoreaccount1/keyward-backups",
        auth: "sas",
      },
      hsms: [
        { name: "keyward-weu", region: "West Europe", port: 8443, url: "https://localhost:8443" },
        { name: "keyward-neu", region: "North Europe", port: 8446, url: "https://localhost:8446" },
      ],
    });
  });

  it.each([
    [
      "KEYWARD_PORT moves the default public URL",
      { KEYWARD_PORT: "3200" },
      { publicUrl: "http://localhost:3200", port: 3200 },
    ],
    [
      "KEYWARD_DATA_DIR is resolved against the working directory",
      { KEYWARD_DATA_DIR: "state" },
      { dataDir: "/srv/keyward/state" },
    ],
    [
      "DATABASE_URL switches to PostgreSQL",
      { DATABASE_URL: "postgres://u@h:5432/d" },
      { database: { kind: "postgres", url: "postgres://u@h:5432/d" } },
    ],
    ["blank values count as unset", { KEYWARD_PORT: "  " }, { port: 3000 }],
    [
      "KEYWARD_EMULATOR_PORTS moves the local HSMs, in order",
      { KEYWARD_EMULATOR_PORTS: "9443, 9446" },
      {
        hsms: [
          { name: "keyward-weu", url: "https://localhost:9443" },
          { name: "keyward-neu", url: "https://localhost:9446" },
        ],
      },
    ],
    [
      "a public URL keeps only its origin",
      { KEYWARD_PUBLIC_URL: "http://localhost:3000/x/" },
      { publicUrl: "http://localhost:3000" },
    ],
    ["no readiness token unless one is set", {}, { readyToken: undefined }],
    [
      "KEYWARD_AZURITE_PORT moves the default backup container",
      { KEYWARD_AZURITE_PORT: "10100" },
      { backup: { containerUrl: "http://127.0.0.1:10100/devstoreaccount1/keyward-backups" } },
    ],
    [
      "KEYWARD_BACKUP_CONTAINER_URL and KEYWARD_BACKUP_AUTH replace the local defaults",
      {
        KEYWARD_BACKUP_CONTAINER_URL: "http://127.0.0.1:10000/devstoreaccount1/nightly/",
        KEYWARD_BACKUP_AUTH: "managed-identity",
      },
      {
        backup: {
          containerUrl: "http://127.0.0.1:10000/devstoreaccount1/nightly",
          auth: "managed-identity",
        },
      },
    ],
    [
      "KEYWARD_READY_TOKEN is the readiness token",
      { KEYWARD_READY_TOKEN: "hJ0vW1x8Jt5mZxkQ8l0oU3yq1rC4c2Wn9eXQx0z5aVY=" },
      { readyToken: "hJ0vW1x8Jt5mZxkQ8l0oU3yq1rC4c2Wn9eXQx0z5aVY=" },
    ],
    [
      "KEYWARD_BACKUP_STALE_HOURS sets when a backup is stale",
      { KEYWARD_BACKUP_STALE_HOURS: "50" },
      { backup: { staleHours: 50 } },
    ],
  ])("%s", (_name, source, expected) => {
    expect(loadEnv(source, CWD)).toMatchObject(expected);
  });

  it("reads a complete azure configuration", () => {
    const env = loadEnv(AZURE_MINIMAL, CWD);
    expect(env).toMatchObject({
      mode: "azure",
      tenantId: AZURE_MINIMAL.AZURE_TENANT_ID,
      credential: { kind: "secret", secret: "s3cr3t-value" },
      authorityHost: "https://login.microsoftonline.com",
      hsms: [{ name: "contoso-weu", region: "West Europe" }],
      audit: { checkpointMinutes: 10, previousKeys: [] },
      backup: { containerUrl: undefined, auth: "sas", staleHours: 26 },
      auditAnchor: {
        signingKeyFile: "/etc/keyward/audit-signing.pem",
        containerUrl: "https://contosoaudit.blob.core.windows.net/keyward-audit",
      },
    });
  });

  it("resolves an emulated HSM's CA file against the working directory; Azure's HSMs have none", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-env-ca-"));
    fs.writeFileSync(path.join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    const hsms = (caFile: string) =>
      JSON.stringify([
        { name: "contoso-weu", url: "https://contoso-weu.managedhsm.azure.net", region: "r" },
        { name: "staging", url: "https://emulator.internal:8443", region: "r", caFile },
      ]);
    const env = loadEnv({ ...AZURE_MINIMAL, KEYWARD_HSMS: hsms("ca.pem") }, dir);
    expect(env.hsms).toEqual([
      { name: "contoso-weu", url: "https://contoso-weu.managedhsm.azure.net", region: "r" },
      {
        name: "staging",
        url: "https://emulator.internal:8443",
        region: "r",
        caFile: path.join(dir, "ca.pem"),
      },
    ]);
    expect(() => loadEnv({ ...AZURE_MINIMAL, KEYWARD_HSMS: hsms("missing.pem") }, dir)).toThrow(
      `KEYWARD_HSMS: the caFile of staging (${path.join(dir, "missing.pem")}) is not a readable file.`,
    );
    fs.rmSync(dir, { recursive: true });
  });

  it.each([
    [
      "a container URL with a SAS",
      { KEYWARD_AUDIT_CONTAINER_URL: "https://a.blob.core.windows.net/c?sv=1&sig=x" },
      "KEYWARD_AUDIT_CONTAINER_URL: must be the container's URL",
    ],
    [
      "a blob URL instead of a container's",
      { KEYWARD_AUDIT_CONTAINER_URL: "https://a.blob.core.windows.net/c/some/blob" },
      "KEYWARD_AUDIT_CONTAINER_URL: must be the container's URL",
    ],
    [
      "a private key among the previous keys",
      {
        KEYWARD_AUDIT_PREVIOUS_KEYS: JSON.stringify([
          { kty: "OKP", crv: "Ed25519", x: "A".repeat(43), d: "B".repeat(43) },
        ]),
      },
      "KEYWARD_AUDIT_PREVIOUS_KEYS: must hold public keys only",
    ],
    [
      "a backup staleness under an hour",
      { KEYWARD_BACKUP_STALE_HOURS: "0.5" },
      "KEYWARD_BACKUP_STALE_HOURS: must be at least 1 hour",
    ],
    [
      "a backup container URL with a SAS",
      { KEYWARD_BACKUP_CONTAINER_URL: "https://a.blob.core.windows.net/c?sv=1&sig=x" },
      "KEYWARD_BACKUP_CONTAINER_URL: must be the container's URL",
    ],
    [
      "a backup container URL over http outside this machine",
      { KEYWARD_BACKUP_CONTAINER_URL: "http://a.blob.core.windows.net/c" },
      "KEYWARD_BACKUP_CONTAINER_URL: must be an https URL",
    ],
    [
      "a backup blob URL instead of a container's",
      { KEYWARD_BACKUP_CONTAINER_URL: "https://a.blob.core.windows.net/c/folder" },
      "KEYWARD_BACKUP_CONTAINER_URL: must name one container",
    ],
    [
      "an unknown backup authentication",
      { KEYWARD_BACKUP_AUTH: "account-key" },
      "KEYWARD_BACKUP_AUTH: must be sas or managed-identity",
    ],
    [
      "a negative checkpoint interval",
      { KEYWARD_AUDIT_CHECKPOINT_MINUTES: "-1" },
      "KEYWARD_AUDIT_CHECKPOINT_MINUTES:",
    ],
  ])("refuses %s", (_name, overrides, expected) => {
    expect(problemsOf({ ...AZURE_MINIMAL, ...overrides }).join("\n")).toContain(expected);
  });

  it("names every missing azure setting at once, with an example each", () => {
    const problems = problemsOf({ KEYWARD_MODE: "azure" });
    expect(problems).toHaveLength(9);
    const named = problems.map((p) => p.split(":")[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        "KEYWARD_PUBLIC_URL",
        "DATABASE_URL",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "KEYWARD_HSMS",
        "KEYWARD_SESSION_KEYS",
        "KEYWARD_AUDIT_SIGNING_KEY_FILE",
        "KEYWARD_AUDIT_CONTAINER_URL",
        "AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_MANAGED_IDENTITY, AZURE_FEDERATED_TOKEN_FILE",
      ]),
    );
    for (const problem of problems) expect(problem).toMatch(/Example: [A-Z_]+=/);
  });

  it.each([
    [
      "an unknown KEYWARD_ variable",
      { KEYWARD_DATADIR: "x" },
      "KEYWARD_DATADIR: is not a Keyward setting",
    ],
    [
      "a mode-specific variable in the wrong mode",
      { ...AZURE_MINIMAL, KEYWARD_AZURITE_PORT: "1" },
      "KEYWARD_AZURITE_PORT: applies only when KEYWARD_MODE=local",
    ],
    ["a port out of range", { KEYWARD_PORT: "70000" }, "KEYWARD_PORT: must be between 1 and 65535"],
    [
      "one emulator port for two HSMs",
      { KEYWARD_EMULATOR_PORTS: "9443" },
      "KEYWARD_EMULATOR_PORTS: must list 2 ports, one per local HSM",
    ],
    [
      "the same emulator port twice",
      { KEYWARD_EMULATOR_PORTS: "9443,9443" },
      "KEYWARD_EMULATOR_PORTS: ports must differ",
    ],
    [
      "an emulator port that is not a number",
      { KEYWARD_EMULATOR_PORTS: "9443,https" },
      "KEYWARD_EMULATOR_PORTS: must be a port number",
    ],
    ["a wrong mode", { KEYWARD_MODE: "cloud" }, "KEYWARD_MODE: must be local or azure"],
    [
      "a non-postgres DATABASE_URL",
      { DATABASE_URL: "mysql://h/d" },
      "DATABASE_URL: must be a postgres:// URL",
    ],
    ["an unknown log level", { LOG_LEVEL: "verbose" }, "LOG_LEVEL: must be one of"],
    [
      "HSMs that are not JSON",
      { ...AZURE_MINIMAL, KEYWARD_HSMS: "weu=https://x" },
      "KEYWARD_HSMS: must be a JSON array",
    ],
    [
      "an HSM with an http URL",
      { ...AZURE_MINIMAL, KEYWARD_HSMS: '[{"name":"abc","url":"http://abc","region":"r"}]' },
      "KEYWARD_HSMS: must be an https:// URL",
    ],
    [
      "a CA file for an Azure Managed HSM",
      {
        ...AZURE_MINIMAL,
        KEYWARD_HSMS:
          '[{"name":"abc","url":"https://abc.managedhsm.azure.net","region":"r","caFile":"ca.pem"}]',
      },
      "KEYWARD_HSMS: caFile is only for an HSM outside Azure",
    ],
    [
      "duplicate HSM names",
      {
        ...AZURE_MINIMAL,
        KEYWARD_HSMS:
          '[{"name":"abc","url":"https://a","region":"r"},{"name":"abc","url":"https://b","region":"r"}]',
      },
      "KEYWARD_HSMS: HSM names must be unique",
    ],
    [
      "a session key of the wrong length",
      { ...AZURE_MINIMAL, KEYWARD_SESSION_KEYS: "c2hvcnQ=" },
      "KEYWARD_SESSION_KEYS: each key must be 32 bytes",
    ],
    [
      "an idle timeout of zero",
      { KEYWARD_SESSION_IDLE_MINUTES: "0" },
      "KEYWARD_SESSION_IDLE_MINUTES: Too small",
    ],
    [
      "two credentials",
      { ...AZURE_MINIMAL, AZURE_MANAGED_IDENTITY: "system" },
      "set exactly one (2 set)",
    ],
    [
      "a tenant id that is not a GUID",
      { ...AZURE_MINIMAL, AZURE_TENANT_ID: "contoso.com" },
      "AZURE_TENANT_ID: must be a GUID",
    ],
    [
      "a short readiness token",
      { KEYWARD_READY_TOKEN: "guessable" },
      "KEYWARD_READY_TOKEN: must be at least 32 characters",
    ],
    [
      "a readiness token that cannot travel in a header",
      { KEYWARD_READY_TOKEN: `${"x".repeat(32)} with spaces` },
      "KEYWARD_READY_TOKEN: must be letters, digits",
    ],
    [
      "a notification webhook without its secret",
      { KEYWARD_NOTIFY_WEBHOOK_URL: "https://hooks.contoso.com/k" },
      "KEYWARD_NOTIFY_WEBHOOK_SECRET: is required with KEYWARD_NOTIFY_WEBHOOK_URL",
    ],
    [
      "a short notification secret",
      {
        KEYWARD_NOTIFY_WEBHOOK_URL: "https://hooks.contoso.com/k",
        KEYWARD_NOTIFY_WEBHOOK_SECRET: "short",
      },
      "KEYWARD_NOTIFY_WEBHOOK_SECRET: must be at least 32 characters",
    ],
    [
      "a notification secret without its webhook",
      { KEYWARD_NOTIFY_WEBHOOK_SECRET: "x".repeat(32) },
      "KEYWARD_NOTIFY_WEBHOOK_SECRET: is set but KEYWARD_NOTIFY_WEBHOOK_URL is not",
    ],
    [
      "a reminder secret without its webhook",
      { KEYWARD_REMINDER_WEBHOOK_SECRET: "x".repeat(32) },
      "KEYWARD_REMINDER_WEBHOOK_SECRET: is set but KEYWARD_REMINDER_WEBHOOK_URL is not",
    ],
    [
      "a notification webhook over plain http to another host",
      {
        KEYWARD_NOTIFY_WEBHOOK_URL: "http://hooks.contoso.com/k",
        KEYWARD_NOTIFY_WEBHOOK_SECRET: "x".repeat(32),
      },
      "KEYWARD_NOTIFY_WEBHOOK_URL: must be https (http only to a loopback address)",
    ],
    [
      "an http public URL in azure mode",
      { ...AZURE_MINIMAL, KEYWARD_PUBLIC_URL: "http://keyward.contoso.com" },
      "KEYWARD_PUBLIC_URL: must use https:// in azure mode",
    ],
  ])("refuses %s", (_name, source, expected) => {
    expect(problemsOf(source).join("\n")).toContain(expected);
  });

  it("reads the webhooks and their secrets", () => {
    const secret = "s".repeat(40);
    expect(
      loadEnv(
        {
          KEYWARD_NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9000/hook",
          KEYWARD_NOTIFY_WEBHOOK_SECRET: secret,
          KEYWARD_REMINDER_WEBHOOK_URL: "https://hooks.contoso.com/reminders",
        },
        CWD,
      ),
    ).toMatchObject({
      notify: { webhookUrl: "http://127.0.0.1:9000/hook", secret },
      reminders: { webhookUrl: "https://hooks.contoso.com/reminders", webhookSecret: undefined },
    });
    expect(loadEnv({}, CWD).notify).toBeUndefined();
  });

  it("never repeats the value of a secret setting", () => {
    const problems = problemsOf({ DATABASE_URL: "mysql://admin:hunter2@db/x" });
    expect(problems.join("\n")).not.toContain("hunter2");
    const token = problemsOf({ KEYWARD_READY_TOKEN: "hunter2-readiness" });
    expect(token.join("\n")).not.toContain("hunter2");
    const webhook = problemsOf({
      KEYWARD_NOTIFY_WEBHOOK_URL: "https://hooks.contoso.com/k",
      KEYWARD_NOTIFY_WEBHOOK_SECRET: "hunter2 with a space and long enough",
    });
    expect(webhook.join("\n")).toContain("KEYWARD_NOTIFY_WEBHOOK_SECRET: must be printable");
    expect(webhook.join("\n")).not.toContain("hunter2");
  });

  it("accepts the test runners' own settings in any mode", () => {
    expect(problemsOf({ ...AZURE_MINIMAL, KEYWARD_CHROMIUM_PATH: "/opt/chromium" })).toEqual([]);
    expect(readTestSettings({ KEYWARD_CHROMIUM_PATH: "/opt/chromium" }).chromiumPath).toBe(
      "/opt/chromium",
    );
  });
});
