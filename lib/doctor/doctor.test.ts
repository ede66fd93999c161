import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { clientSecretOf } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { LOCAL_AUDIT_CONTAINER } from "@/lib/audit/checkpoints";
import { AuditKeyError } from "@/lib/audit/signing-key";
import { exitCodeOf, type DoctorCheck, type DoctorReport } from "@/lib/doctor/report";
import { runDoctor, runDoctorOn } from "@/lib/doctor/service";
import type { DoctorSetup } from "@/lib/doctor/setup";
import { childEnvironment } from "@/lib/env";
import { LOCAL_PORTAL_CLIENT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";
import { azuriteContainer } from "@/lib/storage/append-only-container";
import { startAzuriteOnFreePort } from "@/scripts/lib/azurite";
import { localDoctorSetup } from "@/scripts/lib/doctor-setup";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The doctor against the real local parts (the identity provider, the emulator, Azurite): a
 * correct configuration passes, and each broken one (a wrong secret, a registration without the
 * app roles, a portal identity without a data action, unreachable storage) is reported with its
 * fix and exit code 1.
 */

const FULL = "doctor-full";
const PARTIAL = "doctor-partial";
const BACKUPS = "keyward-backups";

let stack: TestStack;
let azurite: Awaited<ReturnType<typeof startAzuriteOnFreePort>>;

beforeAll(async () => {
  stack = await startTestStack([
    { name: FULL, region: "West Europe" },
    { name: PARTIAL, region: "West Europe" },
  ]);
  const portal = stack.principalOf(LOCAL_PORTAL_CLIENT_ID);
  await stack.grant(FULL, portal, BUILT_IN_ROLES.cryptoAuditor, "/");
  await stack.grant(FULL, portal, BUILT_IN_ROLES.cryptoUser, "/keys");
  await stack.grant(FULL, portal, BUILT_IN_ROLES.cryptoOfficer, "/keys");
  await stack.grant(FULL, portal, BUILT_IN_ROLES.administrator, "/");
  // Crypto User reads keys and access but not deleted keys; nothing else is granted.
  await stack.grant(PARTIAL, portal, BUILT_IN_ROLES.cryptoUser, "/keys");
  azurite = await startAzuriteOnFreePort(path.join(stack.dataDir, "azurite-doctor"));
  await azuriteContainer(azurite.endpoint, BACKUPS).ensureExists();
  await azuriteContainer(azurite.endpoint, LOCAL_AUDIT_CONTAINER).ensureExists();
}, 90_000);

afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

const ACCESS = {
  kind: "account-key",
  accountName: AZURITE_DEV_ACCOUNT.name,
  accountKey: AZURITE_DEV_ACCOUNT.key,
} as const;

const container = (purpose: string, url: string) => ({
  purpose,
  url,
  access: ACCESS,
  createdOnFirstUse: false,
  signsSas: false,
});

function setup(changes: Partial<DoctorSetup> = {}, msal: Partial<DoctorSetup["msal"]> = {}) {
  return localDoctorSetup(
    stack,
    {
      hsms: [{ name: FULL, region: "West Europe", url: stack.hsmUrl(FULL), caPem: stack.caPem }],
      containers: [
        container("backups", `${azurite.endpoint}/${BACKUPS}`),
        container("audit checkpoints", `${azurite.endpoint}/${LOCAL_AUDIT_CONTAINER}`),
      ],
      ...changes,
    },
    msal,
  );
}

const byId = (report: DoctorReport, id: string): DoctorCheck => {
  const check = report.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(", ")}`);
  return check;
};

describe("the doctor", () => {
  it("passes a correct configuration, naming the roles that grant each capability", async () => {
    const report = await runDoctor(setup());
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
    expect(byId(report, "app-roles").detail).toContain("Keyward.Approver");
    expect(byId(report, "token").detail).toContain(stack.principalOf(LOCAL_PORTAL_CLIENT_ID));
    expect(byId(report, `hsm:${FULL}:read`).detail).toContain("Managed HSM Crypto Auditor at /");
    expect(byId(report, `hsm:${FULL}:keys`).detail).toContain("Managed HSM Crypto User at /keys");
    expect(byId(report, `hsm:${FULL}:settings`).detail).toContain("Managed HSM Administrator at /");
  });

  it("reports a wrong client secret with its fix, and skips what needs a token", async () => {
    const report = await runDoctor(
      setup({}, { credential: { kind: "secret", secret: "not-the-secret" } }),
    );
    const token = byId(report, "token");
    expect(token.status).toBe("fail");
    expect(token.fix).toMatch(/AZURE_CLIENT_SECRET/);
    expect(byId(report, "app-roles").status).toBe("skip");
    expect(byId(report, `hsm:${FULL}`).status).toBe("pass");
    expect(byId(report, `hsm:${FULL}:roles`).status).toBe("skip");
    expect(exitCodeOf(report)).toBe(1);
  });

  it("reports a registration without the portal's app roles", async () => {
    const report = await runDoctor(
      setup(
        {},
        {
          clientId: LOCAL_TOOL_CLIENT_ID,
          credential: {
            kind: "secret",
            secret: clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID)!,
          },
        },
      ),
    );
    const roles = byId(report, "app-roles");
    expect(roles.status).toBe("fail");
    expect(roles.detail).toMatch(
      /Missing Keyward\.Requester, Keyward\.KeyAdmin, Keyward\.Approver, Keyward\.Auditor/,
    );
    expect(roles.fix).toMatch(/docs\/app-roles\.json/);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("names the data actions the portal identity lacks, with the az command that grants them", async () => {
    const partial = {
      name: PARTIAL,
      region: "West Europe",
      url: stack.hsmUrl(PARTIAL),
      caPem: stack.caPem,
    };
    const report = await runDoctor(setup({ hsms: [partial] }));
    const portal = stack.principalOf(LOCAL_PORTAL_CLIENT_ID);
    const read = byId(report, `hsm:${PARTIAL}:read`);
    expect(read.status).toBe("fail");
    expect(read.detail).toMatch(/^Missing keys\/deletedKeys\/read\/action:/);
    expect(read.fix).toBe(
      `az keyvault role assignment create --hsm-name ${PARTIAL} --role "Managed HSM Crypto Auditor" --scope /keys --assignee-object-id ${portal}`,
    );
    // Key changes are covered by Crypto User; what it lacks is a warning naming the kinds.
    expect(byId(report, `hsm:${PARTIAL}:keys`).status).toBe("pass");
    const access = byId(report, `hsm:${PARTIAL}:access`);
    expect(access.status).toBe("warn");
    expect(access.detail).toContain("role-assignment.create");
    expect(access.fix).toContain('--role "Managed HSM Policy Administrator" --scope /');
    expect(byId(report, `hsm:${PARTIAL}:backup`).fix).toContain(
      '--role "Managed HSM Backup" --scope /',
    );
    expect(exitCodeOf(report)).toBe(1);
  });

  it("reports storage that does not answer, and a container that is not there", async () => {
    const report = await runDoctor(
      setup({
        containers: [
          container("backups", "http://127.0.0.1:9/devstoreaccount1/keyward-backups"),
          container("audit checkpoints", `${azurite.endpoint}/no-such-container`),
        ],
      }),
    );
    const backups = byId(report, "storage:backups");
    expect(backups.status).toBe("fail");
    expect(backups.detail).toMatch(/cannot be reached/);
    expect(backups.fix).toMatch(/reaches the storage account/);
    const audit = byId(report, "storage:audit-checkpoints");
    expect(audit.status).toBe("fail");
    expect(audit.fix).toMatch(/az storage container create .*--name no-such-container/);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("reports a database that does not answer and an audit key that cannot sign", async () => {
    const report = await runDoctor(
      setup({
        database: { kind: "postgres", url: "postgres://keyward@127.0.0.1:9/keyward" },
        auditKeys: () =>
          Promise.reject(
            new AuditKeyError(
              "KEYWARD_AUDIT_SIGNING_KEY_FILE /etc/keyward/audit.pem cannot be read (ENOENT)",
            ),
          ),
      }),
    );
    const database = byId(report, "database");
    expect(database).toMatchObject({ status: "fail" });
    expect(database.detail).toMatch(/^PostgreSQL \(127\.0\.0\.1:9\/keyward\) does not answer/);
    expect(database.fix).toMatch(/DATABASE_URL/);
    const key = byId(report, "audit-key");
    expect(key.status).toBe("fail");
    expect(key.detail).toContain("ENOENT");
    expect(key.fix).toMatch(/openssl genpkey -algorithm ed25519/);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("reports an invalid configuration and checks nothing else", async () => {
    const report = await runDoctorOn({ KEYWARD_MODE: "azure" });
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ id: "environment", status: "fail" });
    expect(report.checks[0]!.fix).toMatch(/AZURE_TENANT_ID: is required/);
  });
});

describe("npm run doctor", () => {
  const run = promisify(execFile);
  const command = ["--conditions=react-server", "--import", "tsx", "scripts/doctor.ts"];

  it("prints the table with each fix and exits 1 when a check fails", async () => {
    const failure = await run(process.execPath, command, {
      env: childEnvironment({ KEYWARD_MODE: "azure" }),
    }).catch((error: { code: number; stdout: string }) => error);
    expect("code" in failure && failure.code).toBe(1);
    expect(failure.stdout).toMatch(/^FAIL {2}Configuration/m);
    expect(failure.stdout).toMatch(/fix: KEYWARD_PUBLIC_URL: is required when KEYWARD_MODE=azure/);
  });

  it("refuses an unknown argument with exit code 2", async () => {
    const failure = await run(process.execPath, [...command, "--fix"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect("code" in failure && failure.code).toBe(2);
    expect(failure.stderr).toContain("usage: npm run doctor");
  });
});
