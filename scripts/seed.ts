// npm run seed – fills empty local HSMs with the demo inventory, through the real API
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDirectory, servicePrincipalIdOf } from "@keyward/identity-provider";
import pLimit from "p-limit";

import { loadEnv } from "@/lib/env";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { LOCAL_PORTAL_CLIENT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { readLocalSecrets } from "@/lib/local-secrets";

import { localAppCredential } from "./lib/local-credential";
import {
  DEMO_CUSTOM_ROLE,
  planHsm,
  ROLES,
  type HsmPlan,
  type PlannedKey,
} from "./lib/seed/demo-inventory";

/*
 * Seeding is what an administrator would do after creating the HSMs: the tool client (Managed
 * HSM Administrator since creation) grants itself the key roles, gives the portal's identity
 * read access (Crypto Auditor at "/"), then creates the keys, versions, policies, deletions and
 * role assignments of the demo plan. An HSM that already holds keys is left alone.
 */

const PLANS: Record<string, { seed: number; shards: number }> = {
  "keyward-weu": { seed: 20261129, shards: 5 },
  "keyward-neu": { seed: 20261130, shards: 3 },
};
const DAY_MS = 86_400_000;
const CONCURRENCY = 8;

const { values } = parseArgs({ options: { "data-dir": { type: "string" } } });
const env = loadEnv();
if (env.mode !== "local") throw new Error("seeding is for the local emulator only");
const dataDir = path.resolve(values["data-dir"] ?? env.dataDir);
const secrets = readLocalSecrets(dataDir);
const caPem = fs.readFileSync(path.join(dataDir, "tls", "ca.pem"), "utf8");
const credential = localAppCredential({
  issuer: env.idp.issuer,
  caPem,
  appId: LOCAL_TOOL_CLIENT_ID,
  secret: secrets.toolClientSecret,
});
const directory = loadDirectory();
const objectIdOf = (appId: string) => servicePrincipalIdOf(directory, appId);

async function createVersion(handle: HsmHandle, key: PlannedKey) {
  const options = {
    tags: key.tags,
    enabled: key.enabled,
    ...(key.expiresInDays !== null
      ? { expiresOn: new Date(Date.now() + key.expiresInDays * DAY_MS) }
      : {}),
  };
  const { keys } = handle.background;
  if (key.spec.kty === "RSA-HSM")
    await keys.createRsaKey(key.name, { ...options, hsm: true, keySize: key.spec.size });
  else if (key.spec.kty === "EC-HSM")
    await keys.createEcKey(key.name, { ...options, hsm: true, curve: key.spec.curve });
  else await keys.createOctKey(key.name, { ...options, hsm: true, keySize: key.spec.size });
}

async function seedKey(handle: HsmHandle, key: PlannedKey) {
  const { keys } = handle.background;
  await createVersion(handle, key);
  for (let i = 0; i < key.extraVersions; i += 1) await createVersion(handle, key);
  if (key.policy) {
    const { timeAfterCreate, timeBeforeExpiry, expiresIn } = key.policy;
    await keys.updateKeyRotationPolicy(key.name, {
      ...(expiresIn ? { expiresIn } : {}),
      lifetimeActions:
        timeAfterCreate || timeBeforeExpiry
          ? [
              {
                action: "Rotate",
                ...(timeAfterCreate ? { timeAfterCreate } : { timeBeforeExpiry }),
              },
            ]
          : [],
    });
  }
  if (key.deleted) await (await keys.beginDeleteKey(key.name)).pollUntilDone();
}

/** The tool client's own key roles are the seed's first act: holding them means "seeded". */
async function alreadySeeded(handle: HsmHandle, tool: string): Promise<boolean> {
  const held = await handle.background.admin.listRoleAssignments("/", `principalId eq '${tool}'`);
  return held.length > 1;
}

async function seedHsm(handle: HsmHandle, plan: HsmPlan): Promise<string> {
  const tool = objectIdOf(LOCAL_TOOL_CLIENT_ID);
  if (await alreadySeeded(handle, tool)) return `${handle.name}: seeded before, left alone`;

  await handle.background.admin.createRoleAssignment("/", ROLES.cryptoOfficer, tool);
  await handle.background.admin.createRoleAssignment("/", ROLES.cryptoUser, tool);
  await handle.background.admin.createRoleAssignment(
    "/",
    ROLES.cryptoAuditor,
    objectIdOf(LOCAL_PORTAL_CLIENT_ID),
  );

  await handle.background.admin.putCustomRole(DEMO_CUSTOM_ROLE.name, DEMO_CUSTOM_ROLE);
  const limit = pLimit(CONCURRENCY);
  await Promise.all(plan.keys.map((key) => limit(() => seedKey(handle, key))));
  for (const assignment of plan.assignments)
    await handle.background.admin.createRoleAssignment(
      assignment.scope,
      assignment.role,
      assignment.principalId,
    );
  const versions = plan.keys.reduce((sum, key) => sum + 1 + key.extraVersions, 0);
  return `${handle.name}: ${plan.keys.length} keys (${versions} versions, ${plan.keys.filter((k) => k.deleted).length} soft-deleted), ${plan.assignments.length + 3} role assignments`;
}

const startedAt = Date.now();
const results = await Promise.all(
  env.hsms.map((hsm) => {
    const handle = createHsmHandle({ ...hsm, caPem }, credential, { concurrency: CONCURRENCY * 2 });
    const plan = planHsm(hsm.name, {
      ...(PLANS[hsm.name] ?? { seed: 1, shards: 1 }),
      region: hsm.region,
    });
    return seedHsm(handle, plan);
  }),
);
console.log(
  `Seeded in ${((Date.now() - startedAt) / 1000).toFixed(1)} s:\n  ${results.join("\n  ")}`,
);
