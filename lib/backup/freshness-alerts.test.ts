import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HOUR_MS } from "@/lib/backup/freshness";
import type { FreshnessAlertPayload } from "@/lib/backup/freshness-alerts";
import { alertUnderLease } from "@/lib/backup/freshness-job";
import { backupFreshness } from "@/lib/backup/freshness-store";
import { insertRunningRun, settleRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import type { BackupTrigger } from "@/lib/db/schema/backup/table";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { deliverDueNotifications } from "@/lib/notify/deliver";
import { verifySignature } from "@/lib/notify/signature";

/*
 * The freshness alert on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL, with the clock
 * passed in and the notifications posted to a loopback webhook: crossing the threshold sends
 * `keyward.backup.stale` once, later looks send nothing, a failed run changes nothing, and a good
 * run sends `keyward.backup.fresh`; each alert is audited; two instances at once alert once.
 */

const dialects = availableDialects();
const SECRET = "backup-freshness-secret-0123456789abcdef";
const THRESHOLD = 26 * HOUR_MS;
const T0 = Date.parse("2026-12-01T02:00:00Z");
const MINUTE = 60_000;
const notify = { publicUrl: "https://keyward.example" };

let server: http.Server;
let webhookUrl: string;
const received: { body: string; signature: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: String(req.headers["keyward-signature"]),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe.each(dialects)("backup freshness alerts on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  });
  afterAll(async () => database?.dispose());

  /** A run of `hsm` that ends at `finishedAt` in `state`, written as the runner writes it. */
  async function ranBackup(
    hsm: string,
    trigger: BackupTrigger,
    finishedAt: number,
    state: "succeeded" | "failed" = "succeeded",
  ) {
    const run = await insertRunningRun(
      db,
      {
        hsm,
        trigger,
        scheduleName: trigger === "schedule" ? "nightly" : null,
        scheduledFor: trigger === "schedule" ? finishedAt - 10 * MINUTE : null,
        requestedBy: null,
        containerUrl: "https://backups.example/nightly",
      },
      finishedAt - 5 * MINUTE,
    );
    expect(
      await settleRun(
        db,
        run!.id,
        state === "succeeded"
          ? { state, finishedAt, folderUrl: `https://backups.example/nightly/mhsm-${finishedAt}` }
          : { state, finishedAt, error: "The HSM is busy" },
        finishedAt,
      ),
    ).toBe(true);
  }

  const tick = (hsms: string[], now: number, client = db) =>
    alertUnderLease({ db: client, notify, hsms, thresholdMs: THRESHOLD, now });
  /** Posts what is due and returns the payloads the webhook received, signatures checked. */
  async function delivered(): Promise<FreshnessAlertPayload[]> {
    const start = received.length;
    await deliverDueNotifications(db, { notify: { url: webhookUrl, secret: SECRET } });
    return received.slice(start).map(({ body, signature }) => {
      expect(verifySignature(SECRET, body, signature, Date.now())).toEqual({ ok: true });
      return JSON.parse(body) as FreshnessAlertPayload;
    });
  }
  const auditedFor = async (hsm: string) =>
    (
      await db
        .selectFrom("audit_event")
        .select(["action", "actor", "outcome", "target"])
        .where("action", "like", "backup.%")
        .orderBy("seq")
        .execute()
    )
      .filter((e) => (JSON.parse(e.target) as { hsm: string }).hsm === hsm)
      .map((e) => ({
        action: e.action,
        outcome: e.outcome,
        actor: (JSON.parse(e.actor) as { type: string }).type,
      }));

  it("tells each HSM's last good backup, safety and manual ones included", async () => {
    await ranBackup("weu", "safety", T0 - HOUR_MS);
    await ranBackup("neu", "manual", T0 + 10 * HOUR_MS);
    await ranBackup("neu", "schedule", T0 + 12 * HOUR_MS, "failed");
    const now = T0 + 25.5 * HOUR_MS;
    expect(await backupFreshness(db, now, THRESHOLD, ["weu", "neu", "sea"])).toEqual([
      expect.objectContaining({ hsm: "weu", state: "stale", lastGoodAt: T0 - HOUR_MS }),
      expect.objectContaining({ hsm: "neu", state: "fresh", lastGoodAt: T0 + 10 * HOUR_MS }),
      expect.objectContaining({ hsm: "sea", state: "never", lastGoodAt: null, ageMs: null }),
    ]);
  });

  it("sends backup.stale once when the threshold is crossed, then nothing", async () => {
    expect(await tick(["weu", "neu"], T0)).toEqual({ acquired: true, value: [] });
    const crossed = T0 + 25.5 * HOUR_MS;
    await tick(["weu", "neu"], crossed);
    const posted = await delivered();
    expect(posted).toEqual([
      expect.objectContaining({
        type: "keyward.backup.stale",
        hsm: "weu",
        state: "stale",
        lastGoodAt: new Date(T0 - HOUR_MS).toISOString(),
        ageHours: 26.5,
        thresholdHours: 26,
        url: "https://keyward.example/backups",
      }),
    ]);
    expect(posted[0]!.message).toContain("more than 26 hours ago");

    // Ten minutes later, and after a failed run: still stale, already told.
    await ranBackup("weu", "schedule", crossed + 5 * MINUTE, "failed");
    expect(await tick(["weu", "neu"], crossed + 10 * MINUTE)).toEqual({
      acquired: true,
      value: [],
    });
    expect(await delivered()).toEqual([]);
    expect(await auditedFor("weu")).toEqual([
      { action: "backup.stale", outcome: "failed", actor: "system" },
    ]);
  });

  it("sends backup.fresh once when a good backup ends the staleness", async () => {
    const now = T0 + 26 * HOUR_MS;
    await ranBackup("weu", "schedule", now + 20 * MINUTE);
    await tick(["weu", "neu"], now + 30 * MINUTE);
    expect(await delivered()).toEqual([
      expect.objectContaining({
        type: "keyward.backup.fresh",
        hsm: "weu",
        state: "fresh",
        lastGoodAt: new Date(now + 20 * MINUTE).toISOString(),
      }),
    ]);
    expect((await tick(["weu", "neu"], now + 40 * MINUTE)).acquired).toBe(true);
    expect(await delivered()).toEqual([]);
    expect(await auditedFor("weu")).toEqual([
      { action: "backup.stale", outcome: "failed", actor: "system" },
      { action: "backup.fresh", outcome: "succeeded", actor: "system" },
    ]);
  });

  it("alerts an HSM never backed up once, however many instances look at once", async () => {
    const others = [database.open(), database.open()];
    const outcomes = await Promise.all([
      tick(["sea"], T0, others[0]),
      tick(["sea"], T0, others[1]),
      tick(["sea"], T0),
    ]);
    expect(outcomes.flatMap((o) => (o.acquired ? o.value : []))).toHaveLength(1);
    for (let i = 0; i < 3; i += 1) await tick(["sea"], T0 + i * 10 * MINUTE, others[0]);
    expect(await delivered()).toEqual([
      expect.objectContaining({ type: "keyward.backup.stale", hsm: "sea", state: "never" }),
    ]);
    expect(await auditedFor("sea")).toEqual([
      { action: "backup.stale", outcome: "failed", actor: "system" },
    ]);
  });
});
