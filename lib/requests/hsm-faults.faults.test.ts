import path from "node:path";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { clientSecretOf } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { catalogueOf } from "@/lib/backup/catalogue-store";
import { runBackup } from "@/lib/backup/runner";
import { BACKUP_ACCESS, backupDepsOn, heldByHsm, KIM } from "@/lib/backup/testing/backup-stack";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { createHsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { executeApprovedRequests } from "@/lib/requests/executor";
import { azuriteContainer } from "@/lib/storage/append-only-container";
import { backupContainer } from "@/lib/storage/backup-container";
import { getRun } from "@/lib/sync/runs";
import { runSync } from "@/lib/sync/service";
import { startAzuriteOnFreePort } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import {
  approvedRequest,
  expectExecutedOnce,
  injectedSince,
  injectedTotal,
  keysWithPolicy,
  setFaults,
  underFaults,
  versionCounts,
  type Faults,
} from "./testing/fault-kit";
import { grantPortalRoles, portalHandle, requestHarness } from "./testing/fixture";

/*
 * The HSM misbehaving as Managed HSM does under load, against the real SDKs: 429 without
 * Retry-After, 503, connections reset without an answer (before the HSM acted, or after it, so
 * that only the answer is lost), and 2 s of latency at the start of each run. Under them a full
 * inventory sync, a bulk of 200 rotations and a backup each complete (or end recorded and
 * resumable), and nothing is done twice: the versions the HSM holds, the portal's audit log and
 * the backup folders in Azurite each say so.
 */

const dialects = availableDialects();
const SYNC = { concurrency: 16 };
let stack: TestStack;
let azurite: Awaited<ReturnType<typeof startAzuriteOnFreePort>>;

const hsmsOf = (d: string) => [`fsync-${d}`, `fbulk-${d}`, `fbackup-${d}`];

beforeAll(async () => {
  stack = await startTestStack(
    dialects.flatMap((d) => hsmsOf(d).map((name) => ({ name, region: "West Europe" }))),
    { testMode: true },
  );
  for (const d of dialects)
    for (const hsm of hsmsOf(d))
      await grantPortalRoles(stack, hsm, [
        BUILT_IN_ROLE_IDS.cryptoUser,
        BUILT_IN_ROLE_IDS.cryptoOfficer,
      ]);
  azurite = await startAzuriteOnFreePort(path.join(stack.dataDir, "azurite-faults"));
  for (const d of dialects) await azuriteContainer(azurite.endpoint, `fbackup-${d}`).ensureExists();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

// Each test has an HSM of its own and mostly waits out back-offs: all six run at once.
describe.concurrent.each(dialects)("the HSM's faults on %s", (dialect) => {
  const [syncHsm, bulkHsm, backupHsm] = hsmsOf(dialect) as [string, string, string];
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  }, 60_000);
  afterAll(() => database.dispose());

  it("completes a full inventory sync, mirroring exactly what the HSM holds", async ({
    annotate,
  }) => {
    const names = await keysWithPolicy(stack, syncHsm, "inv", 30);
    const handle = createHsmHandle(
      { name: syncHsm, region: "West Europe", url: stack.hsmUrl(syncHsm), caPem: stack.caPem },
      stack.credential(LOCAL_TOOL_CLIENT_ID),
      SYNC,
    );
    const mark = await injectedSince(stack, syncHsm);
    const faults: Faults = {
      throttle: { read: { rate: 0.08 }, rbac: { rate: 0.08 } },
      unavailableRate: 0.03,
      resetRate: 0.03,
    };
    const runId = await underFaults(stack, syncHsm, faults, () =>
      runSync(db, handle, { kind: "full", trigger: "manual" }, SYNC),
    );
    const injected = await injectedSince(stack, syncHsm, mark.last);
    expect(injectedTotal(injected)).toBeGreaterThan(0);
    const run = (await getRun(db, runId!))!;
    expect(run).toMatchObject({ status: "succeeded", failures: 0, keys_listed: names.length });
    const mirrored = await db
      .selectFrom("inventory_key")
      .select(["name", "version"])
      .where("hsm", "=", syncHsm)
      .execute();
    const client = stack.keyClient(syncHsm);
    const held = new Map<string, string>();
    for await (const key of client.listPropertiesOfKeys())
      held.set(key.name, (await client.getKey(key.name)).properties.version!);
    expect(new Map(mirrored.map((k) => [k.name, k.version]))).toEqual(held);
    await annotate(`sync: ${JSON.stringify({ ...injected, last: undefined })}`);
  });

  it("executes a bulk of 200 rotations once each", async ({ annotate }) => {
    const names = await keysWithPolicy(stack, bulkHsm, "bulk", 200);
    const h = requestHarness(
      db,
      stack,
      bulkHsm,
      portalHandle(stack, bulkHsm, { concurrency: 32 }),
      clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID),
    );
    const id = await approvedRequest(
      h,
      bulkHsm,
      "key.rotate",
      names.map((key) => ({ key })),
    );
    const mark = await injectedSince(stack, bulkHsm);
    await underFaults(
      stack,
      bulkHsm,
      {
        throttle: { read: { rate: 0.08 }, write: { rate: 0.08 } },
        unavailableRate: 0.03,
        resetRate: 0.03,
      },
      () => executeApprovedRequests({ ...h.deps, itemConcurrency: 32 }),
    );
    const injected = await injectedSince(stack, bulkHsm, mark.last);
    expect(injected.reset).toBeGreaterThan(0);
    expect(await expectExecutedOnce(db, id)).toBe(0);
    const counts = await versionCounts(stack, bulkHsm, names);
    expect(Object.entries(counts).filter(([, n]) => n !== 2)).toEqual([]);
    await annotate(`bulk: 200 items; ${JSON.stringify({ ...injected, last: undefined })}`);
  });

  it("backs up under faults; a start whose answer is lost ends recorded, and the next run succeeds", async ({
    annotate,
  }) => {
    const handle = portalHandle(stack, backupHsm, { concurrency: 8 });
    await keysWithPolicy(stack, backupHsm, "held", 12);
    const containerUrl = `${azurite.endpoint}/fbackup-${dialect}`;
    const deps = backupDepsOn(db, handle, containerUrl);
    const manual = { hsm: backupHsm, trigger: "manual" as const, actor: KIM };
    const folders = () => backupContainer(containerUrl, BACKUP_ACCESS).folders();
    const mark = await injectedSince(stack, backupHsm);

    const good = await underFaults(
      stack,
      backupHsm,
      {
        throttle: { read: { rate: 0.1 }, rbac: { rate: 0.1 }, backup: { rate: 0.2 } },
        unavailableRate: 0.05,
        resetRate: 0.08,
        // A reset start would leave a backup the portal cannot know of: the next step's case.
        resetClasses: ["read", "rbac"],
      },
      () => runBackup(deps, manual),
    );
    expect([good.state, good.error]).toEqual(["succeeded", null]);
    const catalogue = (await catalogueOf(db, good.id))!;
    expect(
      Object.fromEntries(
        catalogue.keys.map((k) => [k.name, k.versions.map((v) => v.version).sort()]),
      ),
    ).toEqual(await heldByHsm(handle));
    expect(await folders()).toHaveLength(1);

    // The HSM starts the backup, and the answer saying so is lost.
    await setFaults(stack, backupHsm, {
      resetRate: 1,
      resetWhen: "after",
      resetClasses: ["backup"],
    });
    let lost;
    try {
      lost = await runBackup(deps, manual);
    } finally {
      await setFaults(stack, backupHsm, {});
    }
    expect(lost.state).toBe("failed");
    expect(lost.error).toMatch(
      /^The HSM's answer to the backup's start was lost: it may have started a backup .*(ECONNRESET|socket hang up)/,
    );
    expect(lost.jobId).toBeNull();

    // The next run succeeds once the HSM is done with the backup it started unseen.
    let next = await runBackup(deps, manual);
    for (let tries = 0; next.state !== "succeeded" && tries < 20; tries += 1) {
      expect(next.error).toMatch(/^The HSM is busy/);
      await new Promise((resolve) => setTimeout(resolve, 250));
      next = await runBackup(deps, manual);
    }
    expect(next.state).toBe("succeeded");
    // Azurite holds one folder per backup the HSM ran: the two runs', and the unseen one's
    // (the portal sent that start once, and never again).
    expect(await folders()).toHaveLength(3);
    const injected = await injectedSince(stack, backupHsm, mark.last);
    expect(injected.reset).toBeGreaterThan(0);
    await annotate(`backup: ${JSON.stringify({ ...injected, last: undefined })}`);
  });
});
