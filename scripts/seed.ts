// npm run seed – fills empty local HSMs with the demo inventory, through the real API
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator, type RunningEmulator } from "@keyward/hsm-emulator";
import { loadDirectory, servicePrincipalIdOf } from "@keyward/identity-provider";
import pLimit from "p-limit";

import { getDb } from "@/lib/db/client";
import { loadEnv, type LocalEnv } from "@/lib/env";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import {
  LOCAL_PORTAL_CLIENT_ID,
  LOCAL_TENANT_ID,
  LOCAL_TOOL_CLIENT_ID,
} from "@/lib/identity-constants";
import { readLocalSecrets } from "@/lib/local-secrets";

import { localAppCredential } from "./lib/local-credential";
import { emulatorAdministrators } from "./lib/local-principals";
import { seedBackups } from "./lib/seed/demo-backups";
import {
  DEMO_CUSTOM_ROLE,
  HISTORY_DAYS,
  planHsm,
  ROLES,
  type HsmPlan,
  type PlannedKey,
} from "./lib/seed/demo-inventory";
import { seedTemplates } from "./lib/seed/demo-templates";

/*
 * Seeding is what an administrator would do after creating the HSMs: the tool client (Managed
 * HSM Administrator since creation) grants itself the key roles, gives the portal's identity
 * read access (Crypto Auditor at "/"), then creates the keys, versions, policies, deletions and
 * role assignments of the demo plan. An HSM that already holds keys is left alone.
 *
 * With --backdate (the launcher's first run, before it starts the emulator) the seed runs the
 * emulator itself, on the same store and ports, with its clock HISTORY_DAYS in the past, and
 * creates each key on its day, moving the clock forward week by week: the HSMs rotate what their
 * policies say as time passes, so the demo has version histories and rotations due this month.
 */

const PLANS: Record<string, { seed: number; shards: number }> = {
  "keyward-weu": { seed: 20261129, shards: 5 },
  "keyward-neu": { seed: 20261130, shards: 3 },
};
const DAY_MS = 86_400_000;
const CLOCK_STEP_DAYS = 7;
const CONCURRENCY = 8;

const { values } = parseArgs({
  options: { "data-dir": { type: "string" }, backdate: { type: "boolean", default: false } },
});
const loaded = loadEnv();
if (loaded.mode !== "local") throw new Error("seeding is for the local emulator only");
const env: LocalEnv = loaded;
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
/** Expiries are counted from when the seed started, whatever the emulator's clock says. */
const seedStartedAt = Date.now();

interface HsmSeed {
  handle: HsmHandle;
  plan: HsmPlan;
}

async function createVersion(handle: HsmHandle, key: PlannedKey) {
  const options = {
    tags: key.tags,
    enabled: key.enabled,
    ...(key.expiresInDays !== null
      ? { expiresOn: new Date(seedStartedAt + key.expiresInDays * DAY_MS) }
      : {}),
  };
  const { keys } = handle.background;
  if (key.spec.kty === "RSA-HSM")
    await keys.createRsaKey(key.name, { ...options, hsm: true, keySize: key.spec.size });
  else if (key.spec.kty === "EC-HSM")
    await keys.createEcKey(key.name, { ...options, hsm: true, curve: key.spec.curve });
  else await keys.createOctKey(key.name, { ...options, hsm: true, keySize: key.spec.size });
}

async function createKey(handle: HsmHandle, key: PlannedKey) {
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
}

/** The tool client's own key roles are the seed's first act: holding them means "seeded". */
async function alreadySeeded(handle: HsmHandle, tool: string): Promise<boolean> {
  const held = await handle.background.admin.listRoleAssignments("/", `principalId eq '${tool}'`);
  return held.length > 1;
}

async function grantSeedRoles(handle: HsmHandle) {
  const tool = objectIdOf(LOCAL_TOOL_CLIENT_ID);
  await handle.background.admin.createRoleAssignment("/", ROLES.cryptoOfficer, tool);
  await handle.background.admin.createRoleAssignment("/", ROLES.cryptoUser, tool);
  await handle.background.admin.createRoleAssignment(
    "/",
    ROLES.cryptoAuditor,
    objectIdOf(LOCAL_PORTAL_CLIENT_ID),
  );
  await handle.background.admin.putCustomRole(DEMO_CUSTOM_ROLE.name, DEMO_CUSTOM_ROLE);
}

/**
 * Every key of every HSM, oldest first, each created on its day when the emulator's clock can be
 * moved (it is shared by the HSMs, so they go through time together).
 */
async function createKeys(seeds: HsmSeed[], emulator: RunningEmulator | undefined) {
  const limit = pLimit(CONCURRENCY);
  const steps = new Map<number, { handle: HsmHandle; key: PlannedKey }[]>();
  for (const { handle, plan } of seeds)
    for (const key of plan.keys) {
      const step = emulator ? Math.floor(key.createdDaysAgo / CLOCK_STEP_DAYS) : 0;
      steps.set(step, [...(steps.get(step) ?? []), { handle, key }]);
    }
  for (const [step, keys] of [...steps].sort(([a], [b]) => b - a)) {
    if (emulator) {
      const target = Date.now() - step * CLOCK_STEP_DAYS * DAY_MS;
      emulator.advanceClock(Math.max(0, target - emulator.clock.now()));
    }
    await Promise.all(keys.map(({ handle, key }) => limit(() => createKey(handle, key))));
  }
  // Back to the present: whatever falls due on the way is rotated, as a real HSM would have.
  if (emulator) emulator.advanceClock(Math.max(0, -emulator.clock.offsetMs()));
}

/** Deletions and role assignments happen today: a key deleted long ago would be purged by now. */
async function finishHsm({ handle, plan }: HsmSeed): Promise<string> {
  const deleted = plan.keys.filter((k) => k.deleted);
  for (const key of deleted)
    await (await handle.background.keys.beginDeleteKey(key.name)).pollUntilDone();
  for (const assignment of plan.assignments)
    await handle.background.admin.createRoleAssignment(
      assignment.scope,
      assignment.role,
      assignment.principalId,
    );
  const versions = plan.keys.reduce((sum, key) => sum + 1 + key.extraVersions, 0);
  return `${handle.name}: ${plan.keys.length} keys (${versions} versions before rotations, ${deleted.length} soft-deleted), ${plan.assignments.length + 3} role assignments`;
}

/** The emulator on the launcher's store and ports, its clock at the start of the demo's history. */
async function startEmulatorInThePast(): Promise<RunningEmulator> {
  const tlsDir = path.join(dataDir, "tls");
  return startEmulator(
    {
      issuer: env.idp.issuer,
      tenantId: LOCAL_TENANT_ID,
      dataDir: path.join(dataDir, "emulator"),
      clockStart: new Date(seedStartedAt - HISTORY_DAYS * DAY_MS).toISOString(),
      hsms: env.hsms.map(({ name, port, region }) => ({
        name,
        port,
        region,
        administrators: emulatorAdministrators(directory),
      })),
    },
    {
      tls: {
        cert: fs.readFileSync(path.join(tlsDir, "localhost.pem"), "utf8"),
        key: fs.readFileSync(path.join(tlsDir, "localhost-key.pem"), "utf8"),
      },
      caPem,
      logLevel: "warn",
    },
  );
}

async function seed(): Promise<string[]> {
  const all = env.hsms.map((hsm) => ({
    handle: createHsmHandle({ ...hsm, caPem }, credential, { concurrency: CONCURRENCY * 2 }),
    plan: planHsm(hsm.name, { ...(PLANS[hsm.name] ?? { seed: 1, shards: 1 }), region: hsm.region }),
  }));
  const tool = objectIdOf(LOCAL_TOOL_CLIENT_ID);
  const emulator = values.backdate ? await startEmulatorInThePast() : undefined;
  const results: string[] = [];
  try {
    const seeds: HsmSeed[] = [];
    for (const hsmSeed of all) {
      if (await alreadySeeded(hsmSeed.handle, tool))
        results.push(`${hsmSeed.handle.name}: seeded before, left alone`);
      else seeds.push(hsmSeed);
    }
    for (const { handle } of seeds) await grantSeedRoles(handle);
    await createKeys(seeds, emulator);
    for (const hsmSeed of seeds) results.push(await finishHsm(hsmSeed));
    // After the keys: the backups hold them, on the emulator's clock back at the present.
    const db = await getDb();
    const seedActor = { type: "application" as const, id: tool, name: "Keyward seed" };
    try {
      results.push(...(await seedTemplates(db, seedActor)));
      results.push(
        ...(await seedBackups(
          db,
          all.map(({ handle }) => handle.name),
          env.azurite.blobEndpoint,
          { type: "application", id: tool, name: "Keyward seed" },
        )),
      );
    } finally {
      await db.destroy();
    }
  } finally {
    await emulator?.close();
  }
  return results;
}

const results = await seed();
console.log(
  `Seeded in ${((Date.now() - seedStartedAt) / 1000).toFixed(1)} s${values.backdate ? `, keys created over the last ${HISTORY_DAYS} days` : ""}:\n  ${results.join("\n  ")}`,
);
