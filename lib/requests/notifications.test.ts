import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import type { AuditHeadTable } from "@/lib/db/schema/audit/table";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { isAppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { deliverDueNotifications } from "@/lib/notify/deliver";
import {
  REQUEST_EVENTS,
  requestEventId,
  type RequestEventName,
  type RequestEventPayload,
} from "@/lib/notify/request-event";
import { verifySignature } from "@/lib/notify/signature";
import { cancelRequest, decideRequest, expireDueRequests } from "@/lib/requests/decisions";
import { executeApprovedRequests, type ExecutorDeps } from "@/lib/requests/executor";
import { fileRequest, type FilingInput } from "@/lib/requests/filing";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import { approver, audit, grantPortalRoles, portalHandle, REQUESTER } from "./testing/fixture";

/*
 * Change requests queue their events in the notification outbox, in the transaction of the
 * move they tell about: filed, approved (at quorum only), rejected, cancelled, expired, and how
 * execution ended (executed, stale). A move that rolls back leaves no notification behind; with
 * notifications off nothing is queued. The queued events reach a loopback webhook signed.
 */

const dialects = availableDialects();
const PUBLIC_URL = "https://keyward.example";
const SECRET = "request-notifications-secret-0123456789";
const order = (payload: RequestEventPayload) =>
  REQUEST_EVENTS.indexOf(payload.type.slice("keyward.request.".length) as RequestEventName);
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `notify-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `notify-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("change-request notifications on %s", (dialect) => {
  const hsm = `notify-${dialect}`;
  const notify = { publicUrl: PUBLIC_URL };
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  const sealKey = randomBytes(32);
  const justification = "Needed for the notification test";

  const file = (items: unknown[], kind: FilingInput["kind"] = "key.create", on = true) =>
    fileRequest(
      { db, handleOf: () => handle, sealKeys: [sealKey], notify: on ? notify : undefined },
      REQUESTER,
      { kind, hsm, justification, items },
      audit("request.file"),
    ).then((filed) => filed.request.id);
  const decide = (id: string, decision: "approve" | "reject", n: number) =>
    decideRequest(
      { db, notify },
      id,
      decision,
      approver(n),
      decision === "reject" ? { comment: "not now" } : {},
      audit(`request.${decision}`, approver(n)),
    );
  const executorDeps = (): ExecutorDeps => ({
    db,
    handleOf: () => handle,
    sealKeys: [sealKey],
    actor: {
      type: "application",
      id: LOCAL_TOOL_CLIENT_ID,
      name: "Keyward (application identity)",
    },
    notify,
  });
  const eventsOf = async (requestId: string) =>
    (
      await db
        .selectFrom("notification")
        .selectAll()
        .where("kind", "like", "keyward.request.%")
        .execute()
    )
      .map((row) => JSON.parse(row.payload) as RequestEventPayload)
      .filter((payload) => payload.requestId === requestId)
      // One of each at most, so the lifecycle's order is the order they were queued in.
      .sort((a, b) => order(a) - order(b));
  /** Makes the audit log unable to record (its head row gone) while `fn` runs. */
  async function withAuditBroken<T>(fn: () => Promise<T>): Promise<T> {
    const head = (await db.selectFrom("audit_head").selectAll().execute()) as AuditHeadTable[];
    await db.deleteFrom("audit_head").execute();
    try {
      return await fn();
    } finally {
      await db.insertInto("audit_head").values(head).execute();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
  }, 60_000);
  afterAll(() => database.dispose());

  it("queues filed, approved and executed, each with the request as it stood", async () => {
    const id = await file([{ key: "notified", kty: "EC" }]);
    await decide(id, "approve", 1);
    expect(await executeApprovedRequests(executorDeps())).toContain(id);

    const events = await eventsOf(id);
    expect(events.map((e) => [e.type, e.state, e.approvals])).toEqual([
      ["keyward.request.filed", "pending", 0],
      ["keyward.request.approved", "approved", 1],
      ["keyward.request.executed", "executed", 1],
    ]);
    expect(events[0]).toEqual({
      type: "keyward.request.filed",
      id: requestEventId(id, "filed"),
      requestId: id,
      kind: "key.create",
      hsm,
      state: "pending",
      summary: expect.stringContaining("notified") as unknown,
      requester: { id: REQUESTER.id, name: REQUESTER.name },
      approvals: 0,
      approvalsRequired: 1,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
      url: `${PUBLIC_URL}/requests/${id}`,
    });
  });

  it("queues approved only when the quorum is reached", async () => {
    // Deleting a key takes two approvals by default.
    const id = await file([{ key: "notified" }], "key.delete");
    await decide(id, "approve", 1);
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(["keyward.request.filed"]);
    await decide(id, "approve", 2);
    expect((await eventsOf(id)).map((e) => [e.type, e.approvals, e.approvalsRequired])).toEqual([
      ["keyward.request.filed", 0, 2],
      ["keyward.request.approved", 2, 2],
    ]);
  });

  it("queues rejected, cancelled and expired", async () => {
    const rejected = await file([{ key: "rejected-key", kty: "EC" }]);
    await decide(rejected, "reject", 1);
    const cancelled = await file([{ key: "cancelled-key", kty: "EC" }]);
    await cancelRequest({ db, notify }, cancelled, REQUESTER, audit("request.cancel"));
    const expired = await file([{ key: "expired-key", kty: "EC" }]);
    const later = Date.now() + 100 * 3_600_000;
    expect(
      await expireDueRequests({ db, notify, now: () => later }, audit("request.expire")),
    ).toEqual([expired]);

    expect((await eventsOf(rejected)).map((e) => e.type)).toEqual([
      "keyward.request.filed",
      "keyward.request.rejected",
    ]);
    expect((await eventsOf(cancelled)).map((e) => [e.type, e.state])).toEqual([
      ["keyward.request.filed", "pending"],
      ["keyward.request.cancelled", "cancelled"],
    ]);
    expect((await eventsOf(expired)).at(-1)).toMatchObject({
      type: "keyward.request.expired",
      state: "expired",
      at: new Date(later).toISOString(),
    });
  });

  it("queues stale when every item found its target changed", async () => {
    const created = await file([{ key: "drifting", kty: "EC", tags: { app: "a" } }]);
    await decide(created, "approve", 1);
    await executeApprovedRequests(executorDeps());
    const id = await file([{ key: "drifting", tags: { app: "b" } }], "key.update");
    await stack
      .keyClient(hsm, LOCAL_TOOL_CLIENT_ID)
      .updateKeyProperties("drifting", { tags: { app: "out-of-band" } });
    await decide(id, "approve", 1);
    await executeApprovedRequests(executorDeps());
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      type: "keyward.request.stale",
      state: "stale",
    });
  });

  it("leaves no notification behind when the filing or the decision rolls back", async () => {
    const before = await db.selectFrom("notification").select("id").execute();
    const filing = await withAuditBroken(() =>
      file([{ key: "never-filed", kty: "EC" }]).catch((error: unknown) => error),
    );
    expect(isAppError(filing) && filing.code).toBe("audit_unavailable");
    expect(
      await db
        .selectFrom("change_request")
        .select("id")
        .where("summary", "like", "%never-filed%")
        .execute(),
    ).toEqual([]);
    expect(await db.selectFrom("notification").select("id").execute()).toEqual(before);

    const id = await file([{ key: "approval-rolled-back", kty: "EC" }]);
    const decision = await withAuditBroken(() =>
      decide(id, "approve", 1).catch((error: unknown) => error),
    );
    expect(isAppError(decision) && decision.code).toBe("audit_unavailable");
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(["keyward.request.filed"]);
  });

  it("queues nothing when notifications are off", async () => {
    const id = await file([{ key: "quiet", kty: "EC" }], "key.create", false);
    expect(await eventsOf(id)).toEqual([]);
  });

  it("delivers the queued events to the webhook, signed, each once", async () => {
    const bodies: { body: string; signature: string }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        bodies.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(req.headers["keyward-signature"]),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const queued = await db
        .selectFrom("notification")
        .select("id")
        .where("status", "=", "pending")
        .execute();
      const report = await deliverDueNotifications(db, { notify: { url, secret: SECRET } });
      expect(report.sent).toBe(queued.length);
      expect(bodies).toHaveLength(queued.length);
      for (const { body, signature } of bodies)
        expect(verifySignature(SECRET, body, signature, Date.now())).toEqual({ ok: true });
      const types = new Set(bodies.map((b) => (JSON.parse(b.body) as RequestEventPayload).type));
      expect([...types].sort()).toEqual([
        "keyward.request.approved",
        "keyward.request.cancelled",
        "keyward.request.executed",
        "keyward.request.expired",
        "keyward.request.filed",
        "keyward.request.rejected",
        "keyward.request.stale",
      ]);
      // Nothing about the items' changes travels: no tags, key types or policies.
      for (const { body } of bodies) expect(body).not.toMatch(/"tags"|"kty"|"items"/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
