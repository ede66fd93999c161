import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { deliverDueNotifications, type DeliveryOptions } from "@/lib/notify/deliver";
import { deliverUnderLease } from "@/lib/notify/job";
import { enqueueNotification, notificationAttempts } from "@/lib/notify/outbox";

/*
 * The outbox's delivery against a real HTTP receiver on loopback, on SQLite and PostgreSQL: each
 * notification arrives once, signed so that the receiver's own check (written here with
 * node:crypto, as a receiver would) accepts it; a failing webhook is retried on the schedule and
 * every attempt is recorded; an unreachable one is given up after a day of attempts; two
 * delivery jobs at once post each notification once; a notification queued in a transaction
 * that rolls back is never sent.
 */

const SECRET = "notify-webhook-secret-0123456789abcdef";
const T0 = Date.parse("2026-06-01T12:00:00Z");
const DAY_MS = 86_400_000;

interface Received {
  body: string;
  eventId: string | undefined;
  verified: boolean;
}

/** The receiver's check: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">. */
function receiverVerifies(header: string | undefined, body: string): boolean {
  const fields = new Map(
    (header ?? "").split(",").map((part) => part.split("=") as [string, string]),
  );
  const t = fields.get("t");
  const v1 = fields.get("v1");
  if (!t || !v1 || v1.length !== 64) return false;
  const expected = createHmac("sha256", SECRET).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}

let server: http.Server;
let url: string;
const received: Received[] = [];
/** Statuses to answer with before answering 204; the receiver's latency. */
let script: number[] = [];
let delayMs = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const status = script.shift() ?? 204;
      const answer = () => {
        if (status === 204) {
          const body = Buffer.concat(chunks).toString("utf8");
          received.push({
            body,
            eventId: req.headers["keyward-event-id"] as string | undefined,
            verified: receiverVerifies(req.headers["keyward-signature"] as string, body),
          });
        }
        res.writeHead(status, status === 302 ? { location: "http://127.0.0.1:9/elsewhere" } : {});
        res.end();
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  script = [];
  delayMs = 0;
});

describe.each(availableDialects())("notification delivery on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let n = 0;

  /** A fake clock that the injected sleep moves forward; the schedule's pauses are recorded. */
  function clock(start: number) {
    const state = { now: start, pauses: [] as number[] };
    const options: DeliveryOptions = {
      now: () => state.now,
      sleep: (ms) => {
        state.pauses.push(ms);
        state.now += ms;
        return Promise.resolve();
      },
    };
    return { state, options };
  }
  const queue = async (at = T0) => {
    n += 1;
    const id = `event-${dialect}-${n}`;
    await enqueueNotification(
      db,
      { id, kind: "keyward.test", payload: { type: "keyward.test", id, n, text: "“quoted” – ✓" } },
      at,
    );
    return id;
  };
  const rowOf = (id: string) =>
    db.selectFrom("notification").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const webhooks = () => ({ notify: { url, secret: SECRET } });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("delivers a notification once, with a signature the receiver verifies", async () => {
    const id = await queue();
    const { options } = clock(T0);
    // The signature's timestamp is real time; the receiver checks the HMAC, not the age here.
    const report = await deliverDueNotifications(db, webhooks(), options);
    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0, nextDueAt: null });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ eventId: id, verified: true });
    expect(JSON.parse(received[0]!.body)).toEqual({
      type: "keyward.test",
      id,
      n,
      text: "“quoted” – ✓",
    });
    expect(await rowOf(id)).toMatchObject({
      status: "sent",
      attempts: 1,
      last_status: 204,
      sent_at: T0,
      next_attempt_at: null,
    });

    await deliverDueNotifications(db, webhooks(), clock(T0 + 3_600_000).options);
    expect(received).toHaveLength(1);
    // Queuing the same id again changes nothing.
    expect(
      await enqueueNotification(db, { id, kind: "keyward.test", payload: { type: "x" } }),
    ).toBe(false);
    expect((await rowOf(id)).status).toBe("sent");
  });

  it("retries a failing webhook with backoff, recording every attempt", async () => {
    const id = await queue();
    script = [503, 503, 503, 503];
    const first = clock(T0);
    expect(await deliverDueNotifications(db, webhooks(), first.options)).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
      nextDueAt: T0 + 4_000 + 60_000,
    });
    expect(first.state.pauses).toEqual([1_000, 3_000]);
    expect(await rowOf(id)).toMatchObject({
      status: "pending",
      attempts: 3,
      last_status: 503,
      last_error: "the webhook answered 503",
      next_attempt_at: T0 + 64_000,
    });

    // Not due yet: nothing is posted.
    await deliverDueNotifications(db, webhooks(), clock(T0 + 30_000).options);
    expect(await notificationAttempts(db, id)).toHaveLength(3);

    const second = clock(T0 + 64_000);
    expect(await deliverDueNotifications(db, webhooks(), second.options)).toMatchObject({
      sent: 1,
    });
    expect(second.state.pauses).toEqual([1_000]);
    expect((await notificationAttempts(db, id)).map((a) => [a.n, a.at, a.status, a.error])).toEqual(
      [
        [1, T0, 503, "the webhook answered 503"],
        [2, T0 + 1_000, 503, "the webhook answered 503"],
        [3, T0 + 4_000, 503, "the webhook answered 503"],
        [4, T0 + 64_000, 503, "the webhook answered 503"],
        [5, T0 + 65_000, 204, null],
      ],
    );
    expect(await rowOf(id)).toMatchObject({ status: "sent", attempts: 5, last_error: null });
    expect(received.map((r) => r.eventId)).toEqual([id]);
  });

  it("counts a redirect as a failure and does not follow it", async () => {
    const id = await queue();
    script = [302];
    await deliverDueNotifications(db, webhooks(), clock(T0).options);
    const [attempt] = await notificationAttempts(db, id);
    expect(attempt).toMatchObject({ status: 302, error: "the webhook answered 302" });
    expect((await rowOf(id)).status).toBe("sent");
  });

  it("gives up an unreachable webhook after a day of attempts, every one recorded", async () => {
    const id = await queue();
    const unreachable = { notify: { url: "http://127.0.0.1:9/none", secret: SECRET } };
    const { state, options } = clock(T0);
    let runs = 0;
    for (;;) {
      runs += 1;
      const report = await deliverDueNotifications(db, unreachable, options);
      if (report.failed === 1 || report.nextDueAt === null) break;
      state.now = report.nextDueAt;
    }
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "failed", attempts: 87, next_attempt_at: null });
    expect(row.last_status).toBeNull();
    expect(row.last_error).toMatch(/fetch failed|ECONNREFUSED/);
    expect(row.last_error).not.toContain("127.0.0.1");
    const attempts = await notificationAttempts(db, id);
    expect(attempts).toHaveLength(87);
    expect(attempts.at(-1)!.at - T0).toBeLessThan(DAY_MS);
    expect(runs).toBe(29);
    expect(received).toEqual([]);
  });

  it("leaves the other notifications of a failing webhook for the next run", async () => {
    const [a, b] = [await queue(), await queue()];
    script = [503, 503, 503];
    const report = await deliverDueNotifications(db, webhooks(), clock(T0).options);
    // The one not tried is due, but the webhook is not tried again before a round's backoff.
    expect(report).toMatchObject({ sent: 0, retrying: 1, nextDueAt: T0 + 4_000 + 60_000 });
    expect((await rowOf(a)).attempts + (await rowOf(b)).attempts).toBe(3);
    await deliverDueNotifications(db, webhooks(), clock(T0 + 120_000).options);
    expect(received.map((r) => r.eventId).sort()).toEqual([a, b].sort());
  });

  it("gives up notifications for a webhook no longer configured once their day is over", async () => {
    const id = await queue(T0 - DAY_MS - 1);
    await deliverDueNotifications(db, { reminder: { url } }, clock(T0).options);
    expect(await rowOf(id)).toMatchObject({
      status: "failed",
      attempts: 0,
      last_error: "its webhook is no longer configured",
    });
  });

  it("posts each notification once when two delivery jobs run at once", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => queue(Date.now())));
    delayMs = 50;
    const [one, two] = [database.open(), database.open()];
    const outcomes = await Promise.all([
      deliverUnderLease(one, webhooks()),
      deliverUnderLease(two, webhooks()),
    ]);
    expect(outcomes.filter((o) => o.acquired)).toHaveLength(1);
    // Whatever the lease left (none here) goes in a later run; still once each.
    await deliverUnderLease(one, webhooks());
    expect(received.map((r) => r.eventId).sort()).toEqual([...ids].sort());
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it("posts each notification once even when two senders skip the lease", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => queue(Date.now())));
    delayMs = 30;
    const [one, two] = [database.open(), database.open()];
    const reports = await Promise.all([
      deliverDueNotifications(one, webhooks()),
      deliverDueNotifications(two, webhooks()),
    ]);
    expect(reports[0].sent + reports[1].sent).toBe(6);
    expect(received.map((r) => r.eventId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await notificationAttempts(db, id)).toHaveLength(1);
  });

  it("sends nothing that was queued in a transaction that rolled back", async () => {
    const id = `rolled-back-${dialect}`;
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueNotification(trx, { id, kind: "keyward.test", payload: { type: "x" } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await deliverDueNotifications(db, webhooks(), clock(T0).options);
    expect(await db.selectFrom("notification").select("id").where("id", "=", id).execute()).toEqual(
      [],
    );
    expect(received).toEqual([]);
  });
});
