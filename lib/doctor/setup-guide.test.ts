import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { PORTAL_ROLES } from "@/lib/auth/permissions";
import { hsmResourceName } from "@/lib/doctor/hsm-checks";
import { CAPABILITIES } from "@/lib/doctor/needs";
import { exitCodeOf } from "@/lib/doctor/report";
import { runDoctor } from "@/lib/doctor/service";
import { ENV_VARIABLES } from "@/lib/env-variables";
import type { ConfiguredHsm } from "@/lib/hsm/targets";
import { LOCAL_PORTAL_CLIENT_ID } from "@/lib/identity-constants";
import { localDoctorSetup } from "@/scripts/lib/doctor-setup";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The Azure setup guide (docs/azure-setup.md) and the app-role manifest (docs/app-roles.json)
 * against the code they describe: the manifest is PORTAL_ROLES, the guide's role assignment
 * commands are exactly what the doctor checks (granted on the local stack, they pass it), and
 * every setting the guide names exists.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const GUIDE = fs.readFileSync(path.join(ROOT, "docs/azure-setup.md"), "utf8");
const MANIFEST: unknown = JSON.parse(
  fs.readFileSync(path.join(ROOT, "docs/app-roles.json"), "utf8"),
);

const HEADER = "# portal identity role assignments";
/** `az keyvault role assignment create` with the guide's placeholders, and its trailing comment. */
const ASSIGNMENT =
  /^az keyvault role assignment create --hsm-name <hsm> --role "([^"]+)" --scope (\/|\/keys) --assignee-object-id <portal-object-id>(?: {2}# (required|optional): .+)?$/;

/** The built-in roles the guide may name, by their names in the HSM. */
const ROLE_KEYS: Record<string, keyof typeof BUILT_IN_ROLES> = {
  "Managed HSM Administrator": "administrator",
  "Managed HSM Crypto Officer": "cryptoOfficer",
  "Managed HSM Crypto User": "cryptoUser",
  "Managed HSM Policy Administrator": "policyAdministrator",
  "Managed HSM Crypto Auditor": "cryptoAuditor",
  "Managed HSM Backup": "backup",
  "Managed HSM Restore": "restore",
};

interface GuideAssignment {
  line: string;
  role: string;
  roleGuid: string;
  scope: "/" | "/keys";
  required: boolean;
}

/** The lines of the fenced block whose first line is HEADER, without the header. */
function assignmentBlock(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const block = blocks.find((text) => text.startsWith(`${HEADER}\n`));
  if (!block) throw new Error(`no fenced block starts with "${HEADER}"`);
  return block.split("\n").slice(1, -1);
}

function parseAssignments(lines: readonly string[]): GuideAssignment[] {
  return lines.map((line) => {
    const match = ASSIGNMENT.exec(line);
    if (!match) throw new Error(`not a role assignment command of the expected form: ${line}`);
    const [, role, scope, marker] = match;
    const key = ROLE_KEYS[role!];
    if (!key) throw new Error(`the guide names a role with no known GUID: ${role}`);
    return {
      line,
      role: role!,
      roleGuid: BUILT_IN_ROLES[key],
      scope: scope as "/" | "/keys",
      required: marker === "required",
    };
  });
}

describe("docs/app-roles.json", () => {
  const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("defines PORTAL_ROLES, in their order, with their labels and descriptions", () => {
    expect(Array.isArray(MANIFEST)).toBe(true);
    const roles = MANIFEST as Record<string, unknown>[];
    expect(roles.map((role) => role.value)).toEqual(Object.keys(PORTAL_ROLES));
    for (const role of roles) {
      const portalRole = PORTAL_ROLES[role.value as keyof typeof PORTAL_ROLES];
      expect(role).toEqual({
        allowedMemberTypes: ["User"],
        description: portalRole.description,
        displayName: portalRole.label,
        id: expect.stringMatching(GUID_V4) as unknown,
        isEnabled: true,
        value: role.value,
      });
    }
    expect(new Set(roles.map((role) => role.id)).size).toBe(roles.length);
  });
});

describe("docs/azure-setup.md", () => {
  it("gives the role assignments as one block of az commands with the guide's placeholders", () => {
    const assignments = parseAssignments(assignmentBlock(GUIDE));
    expect(assignments.length).toBeGreaterThan(0);
    expect(assignments.filter((a) => a.required).map((a) => `${a.role} at ${a.scope}`)).toEqual([
      "Managed HSM Crypto Auditor at /",
    ]);
    const pairs = assignments.map((a) => `${a.role} at ${a.scope}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it("names only settings Keyward knows", () => {
    const known = new Set<string>(ENV_VARIABLES.map((variable) => variable.name));
    for (const variable of ENV_VARIABLES)
      for (const [name] of variable.description.matchAll(/\b(?:AZURE|KEYWARD)_[A-Z_]+\b/g))
        known.add(name);
    const named = new Set([...GUIDE.matchAll(/\b(?:AZURE|KEYWARD)_[A-Z_]+\b/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
  });
});

describe("the guide's role assignments against the doctor", () => {
  const ALL = "guide-all";
  const REQUIRED = "guide-required";
  const assignments = parseAssignments(assignmentBlock(GUIDE));
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack([
      { name: ALL, region: "West Europe" },
      { name: REQUIRED, region: "West Europe" },
    ]);
    const portal = stack.principalOf(LOCAL_PORTAL_CLIENT_ID);
    for (const assignment of assignments) {
      await stack.grant(ALL, portal, assignment.roleGuid, assignment.scope);
      if (assignment.required)
        await stack.grant(REQUIRED, portal, assignment.roleGuid, assignment.scope);
    }
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  function hsm(name: string): ConfiguredHsm {
    return { name, region: "West Europe", url: stack.hsmUrl(name), caPem: stack.caPem };
  }

  const setup = (hsms: ConfiguredHsm[]) => localDoctorSetup(stack, { hsms });

  it("passes every HSM check when every command of the guide is run", async () => {
    const report = await runDoctor(setup([hsm(ALL)]));
    const checks = report.checks.filter((check) => check.id.startsWith("hsm:"));
    // The challenge, then one check per capability of lib/doctor/needs.ts.
    expect(checks).toHaveLength(CAPABILITIES.length + 1);
    expect(checks.filter((check) => check.status !== "pass")).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it("passes reading with the required commands alone and warns on the rest, each fix a line of the guide", async () => {
    const target = hsm(REQUIRED);
    const report = await runDoctor(setup([target]));
    const checks = report.checks.filter((check) => check.id.startsWith("hsm:"));
    expect(checks.find((check) => check.id === `hsm:${REQUIRED}:read`)?.status).toBe("pass");
    const others = checks.filter(
      (check) => check.id !== `hsm:${REQUIRED}` && check.id !== `hsm:${REQUIRED}:read`,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const check of others) expect(check, check.id).toMatchObject({ status: "warn" });
    expect(exitCodeOf({ checks })).toBe(0);

    // The doctor's fixes are the guide's optional commands, with the placeholders filled in.
    const portal = stack.principalOf(LOCAL_PORTAL_CLIENT_ID);
    const guideLines = new Set(
      assignments.map((a) =>
        a.line
          .replace(/ {2}#.*$/, "")
          .replace("<hsm>", hsmResourceName(target))
          .replace("<portal-object-id>", portal),
      ),
    );
    const fixes = others.flatMap((check) => check.fix?.split("\n") ?? []);
    expect(fixes.length).toBeGreaterThan(0);
    expect(fixes.filter((fix) => !guideLines.has(fix))).toEqual([]);
  });
});
