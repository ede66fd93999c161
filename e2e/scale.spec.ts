import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";

import { readTestSettings } from "@/lib/env";
import { account } from "@/e2e/fixtures/accounts";
import { callHsmAsTool, grantRole } from "@/e2e/fixtures/emulator";
import {
  auditCountsOf,
  auditEventsAbout,
  checkpointSeqs,
  hsmSyncRuns,
  outcomeOf,
  owedWork,
  repeated,
  rows,
  scheduledBackups,
  versionCount,
} from "@/e2e/fixtures/scale-records";
import { me, signInAcross } from "@/e2e/fixtures/scale-sign-in";
import { signInThroughApi, signInThroughPage } from "@/e2e/fixtures/sign-in";
import { startTwoInstances, type TwoInstances } from "@/e2e/fixtures/two-instances";

/*
 * Two portal instances behind a round-robin load balancer, on one PostgreSQL database and the
 * same HSMs: a session made on one works on the other, a sign-in started on one finishes on the
 * other, and every job (inventory sync, request execution, request and grant expiry, backups,
 * reminders and notifications, audit checkpoints) runs once per due time, not on each instance.
 * Job intervals are shortened through their settings; due times hours away (a grant's end, an
 * approval window, the last sync) are moved into the past in the database.
 */

const { databaseUrl } = readTestSettings();
test.skip(!databaseUrl, "two instances share a PostgreSQL database: set TEST_DATABASE_URL");
// Not serial: a failed test leaves the others to run (on a stack started again).

const HSM = "keyward-neu";
const RUN = Date.now().toString(36);
const KEY = `scale-${RUN}`;
const SCHEDULE = `every-minute-${RUN}`;
const PAYMENTS_API = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const PORTAL_IDENTITY = "2015083e-7640-441a-9e8f-790f7ceb1614";
const MINUTE = 60_000;
/** The shortest intervals the settings take; the sync and checkpoint jobs tick every minute. */
const SETTINGS = {
  KEYWARD_SYNC_INTERVAL_MINUTES: "1",
  KEYWARD_AUDIT_CHECKPOINT_MINUTES: "1",
  KEYWARD_GRANT_EXPIRY_SECONDS: "5",
  KEYWARD_BACKUP_SCHEDULER_SECONDS: "2",
  KEYWARD_REMINDER_DAYS: "1",
};

let cluster: TwoInstances;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startTwoInstances({
    testDatabaseUrl: databaseUrl!,
    settings: SETTINGS,
    beforePortals: async (local) => {
      // The portal's identity may rotate keys, granted as the HSM's administrator grants it
      // (the seed gives it Administrator and Crypto Auditor only).
      await grantRole(local, HSM, {
        name: "5c0e9a7b-3d2f-4e81-9b6a-0f4d2c8e1a73",
        scope: "/keys",
        roleDefinitionId: CRYPTO_USER,
        principalId: PORTAL_IDENTITY,
      });
      // A key that expires in a day less an hour: its one-day reminder came due an hour ago.
      const exp = Math.floor((Date.now() + 23 * 60 * MINUTE) / 1000);
      await callHsmAsTool(local, HSM, "POST", `/keys/${KEY}/create`, {
        kty: "EC-HSM",
        crv: "P-256",
        attributes: { exp },
      });
    },
  });
});

test.afterAll(async () => {
  test.setTimeout(90_000);
  await cluster?.stop();
});

test("a sign-in started on one instance finishes on the other, and its session works on both", async () => {
  const [a, b] = cluster.instances;
  const keyadmin = account(cluster.local, "keyadmin");
  const context = await playwrightRequest.newContext();
  try {
    const { callback } = await signInAcross(
      context,
      { startAt: a.url, finishAt: b.url, publicUrl: cluster.publicUrl },
      keyadmin,
    );
    expect(callback.status(), await callback.text()).toBe(303);
    expect(callback.headers()["location"]).toBe(`${cluster.publicUrl}/api/me`);
    const onB = await me(context, b.url);
    expect(onB.status).toBe(200);
    expect(await me(context, a.url)).toEqual(onB);

    // Signed out on A, the session is over on B too.
    const signedOut = await context.post(`${a.url}/api/auth/sign-out`, {
      headers: { origin: cluster.publicUrl },
      maxRedirects: 0,
    });
    expect(signedOut.status()).toBe(303);
    expect((await me(context, b.url)).status).toBe(401);
  } finally {
    await context.dispose();
  }
});

test("a browser signs in through the load balancer, its requests alternating between the instances", async ({
  browser,
}) => {
  const keyadmin = account(cluster.local, "keyadmin");
  const page = await (await browser.newContext({ baseURL: cluster.publicUrl })).newPage();
  const before = new Map(cluster.balancer.served);
  await signInThroughPage(page, keyadmin, "/keys");
  await expect(page).toHaveURL(/\/keys/);
  await expect(page.getByRole("heading", { name: "Keys", level: 1 })).toBeVisible();
  for (const instance of cluster.instances) {
    expect(cluster.balancer.served.get(instance.port)!).toBeGreaterThan(before.get(instance.port)!);
    expect((await me(page.request, instance.url)).status).toBe(200);
  }
  await page.context().close();
});

async function file(context: APIRequestContext, kind: string, items: unknown[]): Promise<string> {
  const filed = await context.post("/api/requests", {
    headers: { origin: cluster.publicUrl },
    data: { kind, hsm: HSM, justification: `Two-instance test ${RUN}: ${kind}`, items },
  });
  expect(filed.status(), await filed.text()).toBe(201);
  return ((await filed.json()) as { id: string }).id;
}

test("every job runs once per due time across the two instances", async () => {
  test.setTimeout(200_000);
  const { db, local } = cluster;
  const keyadmin = await playwrightRequest.newContext({ baseURL: cluster.publicUrl });
  const approver = await playwrightRequest.newContext({ baseURL: cluster.publicUrl });
  await signInThroughApi(keyadmin, account(local, "keyadmin"));
  await signInThroughApi(approver, account(local, "approver"), { reauthenticate: true });
  await expect
    .poll(
      async () =>
        (await rows(db, "select name from inventory_hsm where last_full_sync_at is not null"))
          .length,
      { timeout: 60_000, message: "the start-up syncs are done" },
    )
    .toBe(local.hsms.length);
  // Managed HSM rotates on demand only a key that has a rotation policy: one of the seed's.
  const [{ name: rotated }] = (await rows<{ name: string }>(
    db,
    "select name from inventory_key where hsm = $1 and policy_state = 'rotates' and deleted_at is null order by name limit 1",
    [HSM],
  )) as [{ name: string }];
  const versionsBefore = await versionCount(local, HSM, rotated);

  const rotate = await file(keyadmin, "key.rotate", [{ key: rotated }]);
  const schedule = await file(keyadmin, "backup-schedule.upsert", [
    {
      name: SCHEDULE,
      cron: "* * * * *",
      timeZone: "UTC",
      container: `${local.azurite.blobEndpoint}/keyward-backups`,
      auth: "sas",
      retention: { keepLast: 10 },
    },
  ]);
  const grant = await file(keyadmin, "role-assignment.create", [
    {
      scope: `/keys/${KEY}`,
      roleDefinitionId: CRYPTO_USER,
      principalId: PAYMENTS_API,
      expiresAfter: "PT15M",
    },
  ]);
  const doomed = await file(keyadmin, "key.update", [{ key: KEY, tags: { doomed: RUN } }]);
  for (const id of [rotate, schedule, grant]) {
    const approved = await approver.post(`/api/requests/${id}/approve`, {
      headers: { origin: cluster.publicUrl },
      data: { comment: "Approved by the two-instance test" },
    });
    expect(approved.status(), await approved.text()).toBe(200);
  }
  await keyadmin.dispose();
  await approver.dispose();
  for (const id of [rotate, schedule, grant])
    await expect.poll(() => outcomeOf(db, id), { timeout: 60_000 }).toBe("executed");

  // Due times hours away, moved into the past: the grant's end, the request's approval window,
  // and each HSM's last sync.
  const now = Date.now();
  await db.query("update role_grant set expires_at = $1 where request_id = $2", [now, grant]);
  await db.query("update change_request set expires_at = $1 where id = $2", [now, doomed]);
  const agedAt = Date.now();
  await db.query("update inventory_hsm set last_attempt_at = last_attempt_at - $1", [2 * MINUTE]);

  // Each instance's next minute tick (sync, reminders, checkpoint) has run, and what they owe
  // has been done: a scheduled sync of each HSM, the grant's and the request's ends, a
  // scheduled backup, and every notification posted.
  const lastStart = Math.max(...cluster.instances.map((i) => i.startedAt));
  await expect
    .poll(
      async () => ({
        ...(await owedWork(db, { since: agedAt, grant, doomed, schedule: SCHEDULE })),
        ticked: Date.now() >= lastStart + 75_000,
      }),
      { timeout: 150_000, intervals: [2_000] },
    )
    .toEqual({
      syncedHsms: local.hsms.length,
      grant: "expired",
      doomed: "expired",
      backedUp: true,
      pendingNotifications: 0,
      ticked: true,
    });

  // Both stop at once; each writes its shutdown checkpoint.
  await cluster.stopInstances();

  // Request execution: once each, and the key rotated once on the HSM.
  for (const id of [rotate, schedule, grant])
    expect(await auditCountsOf(db, id)).toMatchObject({
      "request.execute.start": 1,
      "request.item.execute": 1,
    });
  expect(await versionCount(local, HSM, rotated)).toBe(versionsBefore + 1);

  // Expiry: the request and the grant ended once.
  expect(await auditEventsAbout(db, "request.expire", "request", doomed)).toEqual([
    { outcome: "succeeded" },
  ]);
  const [{ assignment }] = (await rows<{ assignment: string }>(
    db,
    "select assignment from role_grant where request_id = $1",
    [grant],
  )) as [{ assignment: string }];
  expect(await auditEventsAbout(db, "grant.expire", "assignment", assignment)).toEqual([
    { outcome: "succeeded" },
  ]);

  // Inventory sync: one first sync per HSM, and scheduled ones an interval apart.
  const syncs = await hsmSyncRuns(db);
  for (const { name } of local.hsms) {
    // The seed's own sync is a manual one; the instances' are scheduled; a scheduled backup
    // refreshes the mirror after it (trigger "backup").
    const ofHsm = syncs.filter(
      (r) => r.hsm === name && ["startup", "schedule"].includes(r.trigger),
    );
    // Before the last sync was moved back: the first sync of the two instances' start-ups.
    expect(
      ofHsm.filter((r) => r.startedAt < agedAt),
      JSON.stringify(ofHsm),
    ).toHaveLength(1);
    // Since then: scheduled syncs and backup refreshes, one at a time under the HSM's sync lease.
    // A scheduled sync starts an interval after the last one of either ended; a backup's refresh
    // is bound by its backup's schedule, not by the sync interval.
    const since = syncs.filter(
      (r) => r.hsm === name && ["schedule", "backup"].includes(r.trigger) && r.startedAt >= agedAt,
    );
    expect(since.length).toBeGreaterThanOrEqual(1);
    for (const [i, run] of since.entries())
      if (i > 0 && run.trigger === "schedule")
        expect(
          run.startedAt - since[i - 1]!.finishedAt!,
          `runs of ${name} since the last sync was moved back at ${agedAt}: ${JSON.stringify(since)}`,
        ).toBeGreaterThanOrEqual(MINUTE);
  }

  // A scheduled backup refreshes the mirror after it: recorded as the backup's, not the schedule's.
  expect(syncs.some((r) => r.hsm === HSM && r.trigger === "backup")).toBe(true);

  // Backups: every due time of every schedule ran once, none of this one's was missed.
  const backups = await scheduledBackups(db);
  expect(repeated(backups.map((r) => `${r.hsm}/${r.schedule}@${r.scheduledFor}`))).toEqual([]);
  const mine = backups.filter((r) => r.schedule === SCHEDULE);
  expect(mine.filter((r) => r.state === "missed")).toEqual([]);
  for (const [i, run] of mine.entries())
    if (i > 0) expect(run.scheduledFor - mine[i - 1]!.scheduledFor).toBe(MINUTE);

  // Notifications and reminders: each posted once, the key's reminder among them.
  const { deliveries } = cluster.webhooks;
  expect(repeated(deliveries.map((d) => d.eventId))).toEqual([]);
  const sent = await rows<{ id: string }>(db, "select id from notification");
  expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(sent.map((r) => r.id)));
  expect(deliveries.filter((d) => d.path === "/reminders" && d.body.key === KEY)).toHaveLength(1);
  const eventsOf = (id: string) =>
    deliveries.filter((d) => d.body.requestId === id).map((d) => d.body.type);
  expect(eventsOf(rotate).sort()).toEqual([
    "keyward.request.approved",
    "keyward.request.executed",
    "keyward.request.filed",
  ]);
  expect(eventsOf(doomed).sort()).toEqual(["keyward.request.expired", "keyward.request.filed"]);

  // Audit checkpoints: no head signed twice, and the final head signed (at shutdown) once.
  const seqs = await checkpointSeqs(local);
  expect(repeated(seqs)).toEqual([]);
  const [{ seq }] = (await rows<{ seq: string }>(
    db,
    "select seq from audit_head where id = 1",
  )) as [{ seq: string }];
  expect(seqs).toContain(Number(seq));
  expect(seqs.length).toBeGreaterThanOrEqual(2);
});
