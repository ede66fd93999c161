import { randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError, type AppError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { createKey } from "@/lib/hsm/key-writes";
import {
  createRoleAssignment,
  deleteRoleAssignment,
  deleteRoleDefinition,
  findRoleAssignment,
  findRoleDefinition,
  upsertRoleDefinition,
} from "@/lib/hsm/rbac-writes";
import { listKeyAssignments } from "@/lib/hsm/role-assignments";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * RBAC writes against the emulator, each read back. The tool client is Managed HSM
 * Administrator at "/" from the HSM's creation, which carries the role assignment and role
 * definition write and delete actions; Crypto User is added only to create a key to scope to.
 */

const HSM = "rbac-weu";
const PRINCIPAL = "5d1e0c9a-7b3f-4e28-9a61-c4f0b2d8e7a5";
const SIGN = "Microsoft.KeyVault/managedHsm/keys/sign/action";
const READ = "Microsoft.KeyVault/managedHsm/keys/read/action";
let stack: TestStack;
let hsm: HsmHandle;

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  await stack.grant(HSM, stack.principalOf(LOCAL_TOOL_CLIENT_ID), BUILT_IN_ROLE_IDS.cryptoUser);
  hsm = createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );
  await createKey(hsm, "Payments", { kty: "EC", curve: "P-256" });
});

afterAll(async () => {
  await stack?.close();
});

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("role assignments", () => {
  it("creates one at a key's scope under the caller's name, finds it, deletes it", async () => {
    const name = randomUUID().toUpperCase();
    const created = await createRoleAssignment(hsm, {
      scope: "/keys/Payments/",
      roleDefinitionId: BUILT_IN_ROLE_IDS.serviceEncryptionUser.toUpperCase(),
      principalId: PRINCIPAL.toUpperCase(),
      name,
    });
    const expected = {
      name: name.toLowerCase(),
      scope: "/keys/payments",
      roleDefinitionId: BUILT_IN_ROLE_IDS.serviceEncryptionUser,
      principalId: PRINCIPAL,
    };
    expect(created).toEqual(expected);
    expect(await findRoleAssignment(hsm, "/keys/payments", name, "interactive")).toEqual(expected);
    expect(await listKeyAssignments(hsm, "payments", "interactive")).toContainEqual(expected);

    await deleteRoleAssignment(hsm, "/keys/payments", name);
    expect(await findRoleAssignment(hsm, "/keys/payments", name, "background")).toBeNull();
    const again = await failureOf(deleteRoleAssignment(hsm, "/keys/payments", name));
    expect(again.code).toBe("not_found");
    expect(isOutcomeUnknown(again)).toBe(false);
  });

  it("creates one HSM-wide, and refuses a second under the same name", async () => {
    const name = randomUUID();
    const assignment = {
      scope: "/",
      roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoAuditor,
      principalId: PRINCIPAL,
      name,
    };
    expect(await createRoleAssignment(hsm, assignment)).toEqual(assignment);
    expect(await findRoleAssignment(hsm, "/", name, "interactive")).toEqual(assignment);
    const duplicate = await failureOf(createRoleAssignment(hsm, assignment));
    expect(duplicate.code).toBe("conflict");
    expect(duplicate.message).toMatch(/^HSM rbac-weu could not assign role /);
    expect(isOutcomeUnknown(duplicate)).toBe(false);
    await deleteRoleAssignment(hsm, "/", name);
    expect(await findRoleAssignment(hsm, "/", name, "interactive")).toBeNull();
  });

  it("answers null for an assignment that does not exist", async () => {
    expect(await findRoleAssignment(hsm, "/keys", randomUUID(), "interactive")).toBeNull();
  });

  it("refuses a scope or name that is not one, before sending anything", async () => {
    const badScope = await failureOf(
      createRoleAssignment(hsm, {
        scope: "/keys/../settings",
        roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
        principalId: PRINCIPAL,
        name: randomUUID(),
      }),
    );
    expect(badScope.message).toBe(
      'HSM rbac-weu: the scope "/keys/../settings" is not "/", "/keys" or "/keys/{key name}".',
    );
    const badName = await failureOf(findRoleAssignment(hsm, "/", "not-a-guid", "interactive"));
    expect(badName.code).toBe("bad_request");
    expect(isOutcomeUnknown(badName)).toBe(false);
  });

  it("passes on the HSM's refusal of a role that does not exist", async () => {
    const failure = await failureOf(
      createRoleAssignment(hsm, {
        scope: "/keys",
        roleDefinitionId: randomUUID(),
        principalId: PRINCIPAL,
        name: randomUUID(),
      }),
    );
    expect(failure.code).toBe("bad_request");
    expect(failure.message).toContain("does not exist");
  });
});

describe("role definitions", () => {
  it("creates a custom role, replaces it, and deletes it once nothing uses it", async () => {
    const name = randomUUID();
    const role = {
      name,
      roleName: "Signer",
      description: "Signs with any key",
      dataActions: [SIGN, READ],
      notDataActions: [],
    };
    const created = await upsertRoleDefinition(hsm, role);
    expect(created).toEqual({
      id: name,
      roleName: "Signer",
      roleType: "CustomRole",
      description: "Signs with any key",
      dataActions: [SIGN, READ],
      notDataActions: [],
    });
    expect(await findRoleDefinition(hsm, name, "interactive")).toEqual(created);

    const replaced = await upsertRoleDefinition(hsm, {
      ...role,
      roleName: "Reader",
      dataActions: [READ],
      notDataActions: [SIGN],
    });
    expect(replaced).toMatchObject({
      roleName: "Reader",
      dataActions: [READ],
      notDataActions: [SIGN],
    });
    expect(await findRoleDefinition(hsm, name, "background")).toEqual(replaced);

    const assignment = {
      scope: "/keys",
      roleDefinitionId: name,
      principalId: PRINCIPAL,
      name: randomUUID(),
    };
    await createRoleAssignment(hsm, assignment);
    const inUse = await failureOf(deleteRoleDefinition(hsm, name));
    expect(inUse.code).toBe("conflict");
    expect(inUse.message).toMatch(/^HSM rbac-weu could not delete role definition /);
    await deleteRoleAssignment(hsm, assignment.scope, assignment.name);

    await deleteRoleDefinition(hsm, name);
    expect(await findRoleDefinition(hsm, name, "interactive")).toBeNull();
  });

  it("finds a built-in role, and refuses to overwrite or delete one", async () => {
    expect(
      await findRoleDefinition(hsm, BUILT_IN_ROLE_IDS.cryptoUser, "interactive"),
    ).toMatchObject({
      id: BUILT_IN_ROLE_IDS.cryptoUser,
      roleName: "Managed HSM Crypto User",
      roleType: "AKVBuiltInRole",
    });
    const overwrite = await failureOf(
      upsertRoleDefinition(hsm, {
        name: BUILT_IN_ROLE_IDS.cryptoUser,
        roleName: "Mine now",
        description: "",
        dataActions: [READ],
        notDataActions: [],
      }),
    );
    expect(overwrite.code).toBe("bad_request");
    expect(overwrite.message).toContain("built-in role");
    const removal = await failureOf(deleteRoleDefinition(hsm, BUILT_IN_ROLE_IDS.cryptoUser));
    expect(removal.code).toBe("bad_request");
  });

  it("answers null for a role that does not exist", async () => {
    expect(await findRoleDefinition(hsm, randomUUID(), "interactive")).toBeNull();
  });
});
