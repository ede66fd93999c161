import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CalendarKey } from "@/lib/calendar/events";
import {
  enqueueDueReminders,
  recentDeliveries,
  type ReminderPayload,
} from "@/lib/calendar/reminders";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { deliverDueNotifications } from "@/lib/notify/deliver";
import { notificationAttempts } from "@/lib/notify/outbox";
import { verifySignature } from "@/lib/notify/signature";

/*
 * Reminder delivery to a real HTTP webhook on loopback, through the notification outbox, in
 * SQLite and PostgreSQL: sent once, retried after failures within a run and across runs, every
 * attempt recorded, signed when the webhook has a secret.
 */

const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");
const SECRET = "reminder-webhook-secret-of-forty-characters";

const key = (name: string, expiresAt: number): CalendarKey => ({
  hsm: "hsm-a",
  name,
  owner: null,
  createdAt: NOW - 100 * DAY_MS,
  expiresAt,
  policy: null,
});

let server: http.Server;
let url: string;
const received: { payload: ReminderPayload; body: string; headers: http.IncomingHttpHeaders }[] =
  [];
let failuresToGive = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (failuresToGive > 0) {
        failuresToGive -= 1;
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ payload: JSON.parse(body) as ReminderPayload, body, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe.each(availableDialects())("reminder delivery on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;

  /** One scheduler run: queue what is due, then post what is due, as of `now`. */
  async function run(
    keys: CalendarKey[],
    now: number,
    webhook: { url: string; secret?: string } = { url },
  ) {
    const queued = await enqueueDueReminders(db, keys, {
      reminderDays: [7, 1],
      portalUrl: "https://keyward.example",
      now,
    });
    const report = await deliverDueNotifications(
      db,
      { reminder: webhook },
      { now: () => now, sleep: () => Promise.resolve() },
    );
    return { due: queued.due, sent: report.sent, failed: report.retrying + report.failed };
  }
  const notificationOf = (keyName: string) =>
    db
      .selectFrom("notification")
      .selectAll()
      .where("kind", "=", "keyward.reminder")
      .where("payload", "like", `%"key":"${keyName}"%`)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("posts each due reminder once as JSON, and never twice", async () => {
    received.length = 0;
    // Expires in 7 days minus an hour: its 7-day reminder came due an hour ago; the 1-day one is not due.
    const keys = [
      key("due-key", NOW + 7 * DAY_MS - 3_600_000),
      key("later-key", NOW + 20 * DAY_MS),
    ];
    expect(await run(keys, NOW)).toEqual({ due: 1, sent: 1, failed: 0 });
    expect(received.map((r) => r.payload)).toEqual([
      expect.objectContaining({
        type: "keyward.reminder",
        hsm: "hsm-a",
        key: "due-key",
        event: "expiry",
        daysBefore: 7,
        url: "https://keyward.example/keys/hsm-a/due-key",
      }),
    ]);
    // No secret for this webhook: unsigned, but with the event id to deduplicate by.
    expect(received[0]!.headers["keyward-signature"]).toBeUndefined();
    expect(received[0]!.headers["keyward-event-id"]).toBe(received[0]!.payload.reminderId);
    expect(await run(keys, NOW + 60_000)).toEqual({ due: 1, sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("retries a failing webhook within the run, records every attempt, and succeeds on a later run", async () => {
    received.length = 0;
    const keys = [key("flaky-key", NOW + 1 * DAY_MS - 60_000)];
    failuresToGive = 3;
    expect(await run(keys, NOW)).toEqual({ due: 1, sent: 0, failed: 1 });
    expect(await notificationOf("flaky-key")).toMatchObject({
      status: "pending",
      attempts: 3,
      last_status: 503,
      last_error: "the webhook answered 503",
      next_attempt_at: NOW + 60_000,
    });
    // Not due again before the backoff is over.
    expect(await run(keys, NOW + 30_000)).toEqual({ due: 1, sent: 0, failed: 0 });

    failuresToGive = 1;
    expect(await run(keys, NOW + 300_000)).toEqual({ due: 1, sent: 1, failed: 0 });
    const after = await notificationOf("flaky-key");
    expect(after).toMatchObject({
      status: "sent",
      attempts: 5,
      last_status: 204,
      last_error: null,
      sent_at: NOW + 300_000,
    });
    expect(
      (await notificationAttempts(db, after.id)).map((a) => [a.n, a.at, a.status, a.error]),
    ).toEqual([
      [1, NOW, 503, "the webhook answered 503"],
      [2, NOW, 503, "the webhook answered 503"],
      [3, NOW, 503, "the webhook answered 503"],
      [4, NOW + 300_000, 503, "the webhook answered 503"],
      [5, NOW + 300_000, 204, null],
    ]);
    expect(received.map((r) => r.payload.key)).toEqual(["flaky-key"]);
    expect((await recentDeliveries(db, 10)).find((d) => d.id === after.id)).toMatchObject({
      key_name: "flaky-key",
      event_kind: "expiry",
      days_before: 1,
      status: "sent",
      attempts: 5,
    });
  });

  it("signs a reminder when the webhook has a secret", async () => {
    received.length = 0;
    const keys = [key("signed-key", NOW + 7 * DAY_MS - 120_000)];
    expect(await run(keys, NOW, { url, secret: SECRET })).toMatchObject({ sent: 1 });
    const [delivery] = received;
    expect(
      verifySignature(
        SECRET,
        delivery!.body,
        delivery!.headers["keyward-signature"] as string,
        NOW,
      ),
    ).toEqual({ ok: true });
  });

  it("records a webhook that cannot be reached, and gives it up once the reminder is a day old", async () => {
    const keys = [key("unreachable-key", NOW + 7 * DAY_MS - 60_000)];
    const unreachable = { url: "http://127.0.0.1:9/none" };
    expect(await run(keys, NOW, unreachable)).toMatchObject({ failed: 1 });
    const row = await notificationOf("unreachable-key");
    expect(row.status).toBe("pending");
    expect(row.last_status).toBeNull();
    expect(row.last_error).toMatch(/fetch failed|ECONNREFUSED/);
    expect(row.last_error).not.toContain("127.0.0.1:9");

    // A day after it came due: one last round, then it is given up, every attempt kept.
    await run([], NOW + DAY_MS - 90_000, unreachable);
    const given = await notificationOf("unreachable-key");
    expect(given).toMatchObject({ status: "failed", attempts: 6, next_attempt_at: null });
    expect(await notificationAttempts(db, given.id)).toHaveLength(6);
    expect((await recentDeliveries(db, 10)).find((d) => d.id === given.id)?.status).toBe("failed");
  });
});
