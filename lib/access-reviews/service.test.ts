import { randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { decideItem } from "@/lib/access-reviews/decide";
import {
  cancelReview,
  startReview,
  type ReviewDeps,
  type Reviewer,
} from "@/lib/access-reviews/service";
import { reviewDetail } from "@/lib/access-reviews/store";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { createKey } from "@/lib/hsm/key-writes";
import {
  createRoleAssignment,
  deleteRoleAssignment,
  findRoleAssignment,
} from "@/lib/hsm/rbac-writes";
import { fileRequest } from "@/lib/requests/filing";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  audit,
  grantPortalRoles,
  portalHandle,
  refusal,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { runSync } from "@/lib/sync/service";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Access reviews against the emulator, on SQLite and (when configured) PostgreSQL: a review holds
 * the HSM's role assignments as synced; each is confirmed or flagged once, never by the person it
 * gives access to; a flag files a role-assignment.delete request that other approvers approve and
 * the executor carries out; the last decision completes the review exactly once, even when two
 * reviewers decide at the same moment; every step is in the audit log.
 */

const dialects = availableDialects();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
const SETTINGS = { concurrency: 16 };
let stack: TestStack;

const reviewer = (n: number, groups: string[] = []): Reviewer => ({
  id: `0a1b2c3d-0000-4000-8000-00000000020${n}`,
  name: `Reviewer ${n}`,
  groups: new Set(groups),
});

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `review-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `review-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("access reviews on %s", (dialect) => {
  const hsm = `review-${dialect}`;
  const GROUP = randomUUID();
  const APPS = [randomUUID(), randomUUID(), randomUUID()];
  const SELF = reviewer(1).id;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  let deps: ReviewDeps;
  const assignments = new Map<string, string>();

  const events = (action: string) =>
    db.selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("seq").execute();
  const sync = () => runSync(db, handle, { kind: "full", trigger: "manual" }, SETTINGS);
  const open = async (note = "Quarterly review for the integration test") =>
    startReview(deps, REQUESTER, { hsm, note }, audit("access-review.start"));
  const decide = (
    by: Reviewer,
    reviewId: string,
    assignment: string,
    verdict: "confirm" | "flag",
    comment = "",
  ) =>
    decideItem(
      deps,
      by,
      reviewId,
      assignment,
      { verdict, comment },
      audit("access-review.decide", by),
    );

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
    h = requestHarness(db, stack, hsm, handle);
    deps = {
      db,
      fileRemoval: (filer, input, context, key, inFilingTransaction) =>
        fileRequest(
          { db, handleOf: () => handle, sealKeys: [h.sealKey], inFilingTransaction },
          filer,
          input,
          context,
          key,
        ),
    };
    await createKey(handle, "ledger", { kty: "EC", curve: "P-256" });
    const planned: [string, string, string][] = [
      ["app-0", "/keys/ledger", APPS[0]!],
      ["app-1", "/keys/ledger", APPS[1]!],
      ["app-2", "/keys", APPS[2]!],
      ["self", "/keys/ledger", SELF],
      ["group", "/", GROUP],
    ];
    for (const [label, scope, principalId] of planned) {
      const name = randomUUID();
      assignments.set(label, name);
      await createRoleAssignment(handle, {
        scope,
        roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
        principalId,
        name,
      });
    }
  }, 60_000);
  afterAll(() => database?.dispose());

  it("refuses a review of an HSM never synced, then holds every synced assignment", async () => {
    expect(await refusal(open())).toMatchObject({ code: "conflict" });
    await sync();
    const review = await open();
    const mirrored = await db
      .selectFrom("inventory_role_assignment")
      .select("name")
      .where("hsm", "=", hsm)
      .execute();
    expect(review.items.map((item) => item.assignment).sort()).toEqual(
      mirrored.map((row) => row.name).sort(),
    );
    expect(review).toMatchObject({
      state: "open",
      startedBy: REQUESTER,
      progress: { total: mirrored.length, pending: mirrored.length, confirmed: 0, flagged: 0 },
    });
    // HSM-wide scopes come first.
    expect(review.items[0]!.scope).toBe("/");
    expect(review.items.find((i) => i.assignment === assignments.get("app-0"))).toMatchObject({
      key: "ledger",
      roleName: "Managed HSM Crypto User",
      decision: "pending",
    });
    expect(await refusal(open())).toMatchObject({
      code: "conflict",
      message: expect.stringContaining(review.id) as unknown,
    });
    expect((await events("access-review.start")).map((e) => json(e.target))).toEqual([
      { hsm, review: review.id },
    ]);
    await cancelReview(
      deps,
      REQUESTER,
      review.id,
      "Started too early",
      audit("access-review.cancel"),
    );
  });

  it("lets no one review their own access, directly or through a group", async () => {
    const review = await open();
    expect(
      await refusal(decide(reviewer(1), review.id, assignments.get("self")!, "confirm")),
    ).toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("your own access") as unknown,
    });
    expect(
      await refusal(
        decide(reviewer(2, [GROUP.toLowerCase()]), review.id, assignments.get("group")!, "confirm"),
      ),
    ).toMatchObject({ code: "forbidden" });
    expect(
      await refusal(decide(reviewer(2), review.id, assignments.get("app-0")!, "flag", "no")),
    ).toMatchObject({ code: "validation_failed" });
    expect(await refusal(decide(reviewer(2), review.id, randomUUID(), "confirm"))).toMatchObject({
      code: "not_found",
    });
    const cancelled = await cancelReview(
      deps,
      REQUESTER,
      review.id,
      "Replaced by the next test",
      audit("access-review.cancel"),
    );
    expect(cancelled).toMatchObject({
      state: "cancelled",
      cancelReason: "Replaced by the next test",
    });
    expect(
      await refusal(
        cancelReview(deps, REQUESTER, review.id, "Once more", audit("access-review.cancel")),
      ),
    ).toMatchObject({ code: "conflict" });
    expect(
      await refusal(decide(reviewer(2), review.id, assignments.get("app-0")!, "confirm")),
    ).toMatchObject({ code: "conflict", message: expect.stringContaining("cancelled") as unknown });
  });

  it("confirms once, flags into a removal request others approve, and completes on the last decision", async () => {
    const review = await open();
    const confirmed = await decide(reviewer(2), review.id, assignments.get("app-1")!, "confirm");
    expect(confirmed.items.find((i) => i.assignment === assignments.get("app-1"))).toMatchObject({
      decision: "confirmed",
      decidedBy: { id: reviewer(2).id, name: "Reviewer 2" },
    });
    expect(
      await refusal(
        decide(reviewer(3), review.id, assignments.get("app-1")!, "flag", "Not needed any more"),
      ),
    ).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Reviewer 2") as unknown,
    });

    const flagged = await decide(
      reviewer(2),
      review.id,
      assignments.get("app-0")!,
      "flag",
      "The app was retired in October",
    );
    const item = flagged.items.find((i) => i.assignment === assignments.get("app-0"))!;
    expect(item).toMatchObject({ decision: "flagged", alreadyRemoved: false });
    const request = (await requestDetail(db, item.request!.id))!;
    expect(request).toMatchObject({
      kind: "role-assignment.delete",
      hsm,
      state: "pending",
      requester: { id: reviewer(2).id, name: "Reviewer 2" },
    });
    expect(request.justification).toContain(review.id);
    expect(request.justification).toContain("The app was retired in October");
    // The reviewer may not approve the removal they asked for; two other approvers do.
    expect(
      await refusal(h.decide(request.id, "approve", { ...approver(1), ...reviewer(2) })),
    ).toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("You filed this request") as unknown,
    });
    for (let n = 1; n <= request.approvalsRequired; n += 1)
      await h.decide(request.id, "approve", approver(n));
    expect(await h.execute()).toContain(request.id);
    expect(
      await findRoleAssignment(handle, "/keys/ledger", assignments.get("app-0")!, "interactive"),
    ).toBeNull();

    // Gone behind the review's back: the flag stands, and no request is needed.
    await deleteRoleAssignment(handle, "/keys", assignments.get("app-2")!);
    const gone = await decide(
      reviewer(2),
      review.id,
      assignments.get("app-2")!,
      "flag",
      "Batch job no longer runs here",
    );
    expect(gone.items.find((i) => i.assignment === assignments.get("app-2"))).toMatchObject({
      decision: "flagged",
      alreadyRemoved: true,
      request: null,
    });

    // The rest at once, by two reviewers racing: the review completes exactly once.
    const rest = gone.items.filter((i) => i.decision === "pending");
    const results = await Promise.allSettled(
      rest.map((i, n) =>
        decide(
          i.principal.id === SELF ? reviewer(3) : n % 2 ? reviewer(3) : reviewer(2),
          review.id,
          i.assignment,
          "confirm",
        ),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const done = (await reviewDetail(db, review.id))!;
    expect(done).toMatchObject({
      state: "completed",
      progress: { pending: 0, flagged: 2, confirmed: done.progress.total - 2 },
    });
    const decisions = await events("access-review.decide");
    expect(decisions.filter((e) => json(e.detail).completed)).toHaveLength(1);
    expect(decisions.filter((e) => json(e.target).review === review.id)).toHaveLength(
      done.progress.total,
    );
    // The flag's request and its decision event were recorded together.
    expect(
      (await events("request.file")).filter((e) => json(e.target).request === item.request!.id),
    ).toHaveLength(1);
    // A finished review frees the HSM for the next one.
    const next = await open("The next quarter");
    await cancelReview(
      deps,
      REQUESTER,
      next.id,
      "Only checking it starts",
      audit("access-review.cancel"),
    );
  });

  it("lets one of two reviewers deciding the same assignment at once win", async () => {
    const review = await open();
    const target = assignments.get("app-1")!;
    const results = await Promise.allSettled([
      decide(reviewer(2), review.id, target, "confirm"),
      decide(reviewer(3), review.id, target, "flag", "Flagged at the same moment"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const detail = (await reviewDetail(db, review.id))!;
    const item = detail.items.find((i) => i.assignment === target)!;
    expect(item.decision).not.toBe("pending");
    expect(detail.progress.pending).toBe(detail.progress.total - 1);
    // A losing flag leaves no request behind.
    const removals = await db
      .selectFrom("change_request")
      .select("id")
      .where("justification", "like", `%${review.id}%`)
      .execute();
    expect(removals.map((r) => r.id)).toEqual(item.request ? [item.request.id] : []);
  });
});
