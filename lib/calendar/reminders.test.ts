import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CalendarKey } from "@/lib/calendar/events";
import { deliverDueReminders, type ReminderPayload } from "@/lib/calendar/reminders";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

/*
 * Reminder delivery to a real HTTP webhook on loopback, recorded in SQLite and PostgreSQL: sent
 * once, retried after failures within a run and across runs, every attempt counted.
 */

const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");

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
const received: ReminderPayload[] = [];
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
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReminderPayload);
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
  const options = () => ({
    webhookUrl: url,
    reminderDays: [7, 1],
    portalUrl: "https://keyward.example",
    sleep: () => Promise.resolve(),
  });

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
    const first = await deliverDueReminders(db, keys, { ...options(), now: NOW });
    expect(first).toEqual({ due: 1, sent: 1, failed: 0 });
    expect(received).toEqual([
      expect.objectContaining({
        type: "keyward.reminder",
        hsm: "hsm-a",
        key: "due-key",
        event: "expiry",
        daysBefore: 7,
        url: "https://keyward.example/keys/hsm-a/due-key",
      }),
    ]);
    const again = await deliverDueReminders(db, keys, { ...options(), now: NOW + 60_000 });
    expect(again).toEqual({ due: 1, sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("retries a failing webhook within the run, records the failure, and succeeds on a later run", async () => {
    received.length = 0;
    const keys = [key("flaky-key", NOW + 1 * DAY_MS - 60_000)];
    failuresToGive = 3;
    const failed = await deliverDueReminders(db, keys, { ...options(), now: NOW });
    expect(failed).toEqual({ due: 1, sent: 0, failed: 1 });
    const row = await db
      .selectFrom("reminder_delivery")
      .selectAll()
      .where("key_name", "=", "flaky-key")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "failed",
      attempts: 3,
      last_status: 503,
      last_error: "the webhook answered 503",
    });

    failuresToGive = 1;
    const recovered = await deliverDueReminders(db, keys, { ...options(), now: NOW + 300_000 });
    expect(recovered).toEqual({ due: 1, sent: 1, failed: 0 });
    const after = await db
      .selectFrom("reminder_delivery")
      .selectAll()
      .where("key_name", "=", "flaky-key")
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      status: "sent",
      attempts: 5,
      last_status: 204,
      last_error: null,
    });
    expect(received.map((r) => r.key)).toEqual(["flaky-key"]);
  });

  it("records a webhook that cannot be reached", async () => {
    const keys = [key("unreachable-key", NOW + 7 * DAY_MS - 60_000)];
    const outcome = await deliverDueReminders(db, keys, {
      ...options(),
      webhookUrl: "http://127.0.0.1:9/none",
      now: NOW,
    });
    expect(outcome.failed).toBe(1);
    const row = await db
      .selectFrom("reminder_delivery")
      .selectAll()
      .where("key_name", "=", "unreachable-key")
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.last_status).toBeNull();
    expect(row.last_error).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
