import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MANAGED_HSM_RESOURCE } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLE_IDS, BUILT_IN_ROLES } from "../src/rbac/builtin-roles";
import { startTestStack, type TestStack } from "../src/testing";
import { startBlobService } from "./azurite";
import { DOCUMENTED_BUILT_IN_ROLES } from "./documented-roles";

/*
 * The emulator driven by Debian's python3-azure (azure-keyvault-administration 4.3.0b2 and
 * azure-keyvault-keys 4.8.0b3), unmodified: role definitions and assignments at each scope,
 * enforcement, custom roles, settings, and full backup and restore into Azurite. The Python side
 * only records what it saw (admin-conformance.py); every expectation is here.
 */

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "python",
  "admin-conformance.py",
);
const HSM = "python-weu";
const PAYMENTS_API = "77ec9f24-01ee-4701-9f66-faef115f006e";
const REPORTING_JOB = "2ce6c976-bc2d-491d-968d-b0994eefa113";

type Attempt<T> =
  { ok: true; value: T } | { ok: false; status: number; code: string | null; message: string };
interface Observations {
  roleDefinitions: {
    name: string;
    roleName: string;
    roleType: string;
    dataActions: string[];
    notDataActions: string[];
  }[];
  created: { scope: string; roleDefinition: string; principalId: string }[];
  listed: Record<string, [string, string, string][]>;
  auditorCreatesKey: Attempt<string>;
  auditorReadsKey: Attempt<string>;
  keyUserSignsOwnKey: Attempt<boolean>;
  keyUserSignsOtherKey: Attempt<boolean>;
  keyUserAssignsRole: Attempt<string>;
  customRole: {
    roleName: string;
    roleType: string;
    dataActions: string[];
    afterDelete: Attempt<string>;
  };
  settings: { name: string; value: string; type: string }[];
  setting: Attempt<string>;
  backupFolder: string;
  afterPurge: Attempt<string>;
  afterSelectiveRestore: Attempt<string>;
  afterFullRestore: string[];
  backupToMissingContainer: Attempt<string>;
}

let stack: TestStack;
let azurite: Awaited<ReturnType<typeof startBlobService>>;
let observed: Observations;
let principals: Record<"tool" | "auditor" | "keyUser", string>;

function runPython(input: unknown): Promise<Observations> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], {
      env: { PATH: "/usr/bin:/bin", NO_PROXY: "*", NODE_ENV: "test" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as Observations);
      else reject(new Error(`admin-conformance.py exited with ${code}:\n${stderr}`));
    });
    child.stdin.end(JSON.stringify(input));
  });
}

beforeAll(async () => {
  if (!fs.existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: apt-get install -y python3-azure (.ci/run does)`);
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  azurite = await startBlobService(path.join(stack.dataDir, "azurite"));
  const container = await azurite.createContainer("python-backups");
  const token = async (appId: string) =>
    (await stack.credential(appId).getToken(`${MANAGED_HSM_RESOURCE}/.default`))!.token;
  principals = {
    tool: stack.principalOf(stack.toolClientId),
    auditor: stack.principalOf(REPORTING_JOB),
    keyUser: stack.principalOf(PAYMENTS_API),
  };
  observed = await runPython({
    hsmUrl: stack.hsmUrl(HSM),
    caFile: path.join(stack.dataDir, "tls", "ca.pem"),
    tokens: {
      tool: await token(stack.toolClientId),
      auditor: await token(REPORTING_JOB),
      keyUser: await token(PAYMENTS_API),
    },
    principals,
    containerUrl: container.url,
    sasToken: container.sas,
    missingContainerUrl: `${azurite.endpoint}/no-such-container`,
  });
}, 120_000);

afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

describe("role definitions through azure.keyvault.administration", () => {
  it("lists the nine built-in roles with their exact GUIDs and data actions", () => {
    const builtIn = observed.roleDefinitions.filter((d) => d.roleType === "AKVBuiltInRole");
    expect(builtIn.map((d) => [d.name, d.roleName]).sort()).toEqual(
      DOCUMENTED_BUILT_IN_ROLES.map(([guid, roleName]) => [guid, roleName]).sort(),
    );
    for (const role of BUILT_IN_ROLES) {
      const seen = builtIn.find((d) => d.name === role.name)!;
      const [permissions] = role.properties.permissions;
      expect(seen.dataActions).toEqual([...permissions!.dataActions].sort());
      expect(seen.notDataActions).toEqual([...permissions!.notDataActions].sort());
    }
  });

  it("creates, reads back and deletes a custom role definition", () => {
    expect(observed.customRole).toMatchObject({
      roleName: "Key Reader (custom)",
      roleType: "CustomRole",
      dataActions: ["Microsoft.KeyVault/managedHsm/keys/read/action"],
      afterDelete: { ok: false, status: 404 },
    });
  });
});

describe("role assignments at each scope", () => {
  it("creates assignments at /, /keys and /keys/{name}", () => {
    expect(observed.created.map((a) => a.scope)).toEqual([
      "/",
      "/",
      "/",
      "/keys",
      "/keys/payments-signing",
    ]);
    expect(observed.created.every((a) => Object.values(principals).includes(a.principalId))).toBe(
      true,
    );
  });

  it("lists each scope on its own, / and /keys together as the whole HSM", () => {
    const hsmWide = observed.listed["/"]!;
    expect(observed.listed["/keys"]).toEqual(hsmWide);
    expect(hsmWide.map(([, , scope]) => scope).sort()).toEqual(["/", "/", "/", "/", "/keys"]);
    expect(hsmWide.map(([, principal]) => principal)).toEqual(
      expect.arrayContaining([principals.tool, principals.auditor, principals.keyUser]),
    );
    expect(observed.listed["/keys/payments-signing"]).toEqual([
      [BUILT_IN_ROLE_IDS.cryptoUser, principals.keyUser, "/keys/payments-signing"],
    ]);
  });
});

describe("enforcement", () => {
  it("refuses key creation to a Crypto Auditor and names the missing action, but lets it read", () => {
    expect(observed.auditorCreatesKey).toMatchObject({ ok: false, status: 403, code: "Forbidden" });
    expect(observed.auditorCreatesKey.ok || observed.auditorCreatesKey.message).toContain(
      "Action: 'Microsoft.KeyVault/managedHsm/keys/create'",
    );
    expect(observed.auditorReadsKey).toEqual({ ok: true, value: "payments-signing" });
  });

  it("lets a key-scoped Crypto User sign with that key only", () => {
    expect(observed.keyUserSignsOwnKey).toEqual({ ok: true, value: true });
    expect(observed.keyUserSignsOtherKey).toMatchObject({ ok: false, status: 403 });
    expect(observed.keyUserSignsOtherKey.ok || observed.keyUserSignsOtherKey.message).toMatch(
      /keys\/sign\/action/,
    );
  });

  it("refuses role assignment to a principal without roleAssignments/write", () => {
    expect(observed.keyUserAssignsRole).toMatchObject({ ok: false, status: 403 });
  });
});

describe("settings", () => {
  it("lists the settings and reads one", () => {
    expect(observed.settings.length).toBeGreaterThan(0);
    expect(observed.settings[0]).toMatchObject({ type: "boolean" });
    expect(observed.setting).toEqual({ ok: true, value: observed.settings[0]!.value });
  });
});

describe("full backup and restore into Azurite", () => {
  it("backs up into a folder of the container, named like the real service's", () => {
    expect(observed.backupFolder).toMatch(new RegExp(`/python-backups/mhsm-${HSM}-\\d{17}$`));
  });

  it("restores one purged key selectively, then the whole HSM", () => {
    expect(observed.afterPurge).toMatchObject({ ok: false, status: 404 });
    expect(observed.afterSelectiveRestore).toEqual({ ok: true, value: "ledger-signing" });
    expect(observed.afterFullRestore).toEqual(["ledger-signing", "payments-signing"]);
  });

  it("reports a backup into a missing container as a failed operation", () => {
    expect(observed.backupToMissingContainer).toMatchObject({ ok: false });
    expect(
      observed.backupToMissingContainer.ok || observed.backupToMissingContainer.message,
    ).toMatch(/ContainerNotFound|container/i);
  });
});
