import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { countToReview, listRequests, type RequestViewer } from "@/lib/requests/list";
import { DEFAULT_POLICIES } from "@/lib/requests/policy";

/*
 * Who sees which requests, and the filters and paging of the list, on SQLite and PostgreSQL:
 * the key team, approvers and auditors see all; a requester sees what they filed and what
 * touches their groups' keys; "to review" leaves out one's own and what one decided already.
 */

const GROUP = "5e0c6f1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f";
const OTHER_GROUP = "6f1d7a2c-8b3c-4d4e-8f90-1a2b3c4d5e6f";
const T0 = Date.UTC(2026, 11, 1);

describe.each(availableDialects())("the request list on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;

  async function insert(n: number, requester: string, owners: string[], state = "pending") {
    await db
      .insertInto("change_request")
      .values({
        id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
        kind: n % 2 ? "key.rotate" : "key.update",
        hsm: "weu",
        state,
        justification: "test",
        requester_id: requester,
        requester_name: requester,
        owner_groups: JSON.stringify(owners),
        policy: JSON.stringify(DEFAULT_POLICIES["key.rotate"]),
        approvals_required: 1,
        approvals: 0,
        item_count: 1,
        summary: `request ${n}`,
        idempotency_key: `key-${n}`,
        filed_at: T0 + Math.floor(n / 2) * 1000,
        expires_at: T0 + 72 * 3_600_000,
        updated_at: T0,
        decided_at: null,
        finished_at: null,
        outcome: null,
      })
      .execute();
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    for (let n = 0; n < 30; n += 1)
      await insert(n, n % 3 === 0 ? "alice" : "bob", n % 5 === 0 ? [GROUP] : [OTHER_GROUP]);
    await insert(30, "bob", [], "executed");
    await db
      .insertInto("change_request_decision")
      .values({
        request_id: "00000000-0000-4000-8000-000000000001",
        approver_id: "carol",
        approver_name: "Carol",
        decision: "approve",
        comment: null,
        acknowledgement: null,
        at: T0,
      })
      .execute();
  }, 60_000);
  afterAll(() => database.dispose());

  const everyone: RequestViewer = { id: "carol", readAll: true, groups: [] };
  const requester: RequestViewer = { id: "alice", readAll: false, groups: [GROUP.toUpperCase()] };

  async function all(viewer: RequestViewer, filters = {}) {
    const ids: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listRequests(db, viewer, { ...filters, before, limit: 7 });
      ids.push(...page.requests.map((r) => r.summary));
      if (!page.next) return ids;
      before = page.next;
    }
  }

  it("pages through every request once, newest first", async () => {
    const seen = await all(everyone);
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(seen[0]).toBe("request 30");
  });

  it("shows a requester their own and their groups' keys' requests only", async () => {
    const seen = await all(requester);
    const expected = Array.from({ length: 30 }, (_, n) => n).filter(
      (n) => n % 3 === 0 || n % 5 === 0,
    );
    expect(seen.sort()).toEqual(expected.map((n) => `request ${n}`).sort());
  });

  it("lets no group claim that is not a GUID match an owner group", async () => {
    // Stripped to the characters of a GUID, each of these once became a pattern of the group.
    const pretender: RequestViewer = {
      id: "mallory",
      readAll: false,
      groups: [`x${GROUP}`, GROUP.replace(/-/g, "-z"), `${GROUP}"`],
    };
    expect(await all(pretender)).toEqual([]);
  });

  it("filters mine, state and kind", async () => {
    expect((await all(everyone, { mine: true })).length).toBe(0);
    expect((await all({ ...requester, id: "bob" }, { mine: true })).length).toBe(21);
    expect(await all(everyone, { state: "executed" })).toEqual(["request 30"]);
    expect((await all(everyone, { kind: "key.rotate" })).length).toBe(15);
  });

  it("leaves out of review what one filed or decided already", async () => {
    const toReview = await all({ ...everyone, id: "carol" }, { toReview: true });
    expect(toReview).not.toContain("request 1");
    expect(toReview).toHaveLength(29);
    expect(await countToReview(db, "carol")).toBe(29);
    expect(await countToReview(db, "alice")).toBe(20);
  });
});
