import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { countSessionChange, limitRefusal, MUTATION_WINDOW_MS } from "@/lib/auth/mutation-limit";
import { createSession } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

/*
 * The per-session limit on changes: the refusal rule, and the one-statement count on each
 * database, including changes sent at the same moment (two portal instances, or one browser
 * with several tabs).
 */

describe("limitRefusal", () => {
  it.each([
    ["within the limit", { start: 0, count: 60 }, 1_000, null],
    ["one past it, early in the window", { start: 0, count: 61 }, 1_000, 59],
    ["one past it, at the window's last moment", { start: 0, count: 61 }, 59_999, 1],
    ["far past it", { start: 10_000, count: 500 }, 40_500, 30],
  ] as const)("%s", (_name, window, now, retryAfter) => {
    const refusal = limitRefusal(window, 60, now);
    expect(refusal?.retryAfterSeconds ?? null).toBe(retryAfter);
    if (refusal) expect(refusal.code).toBe("rate_limited");
  });

  it("marks only the first refusal of a window as the one to record", () => {
    expect(limitRefusal({ start: 0, count: 61 }, 60, 1)?.firstInWindow).toBe(true);
    expect(limitRefusal({ start: 0, count: 62 }, 60, 1)?.firstInWindow).toBe(false);
  });
});

describe.each(availableDialects())("countSessionChange on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  }, 60_000);
  afterAll(() => database?.dispose());

  const session = async () =>
    (
      await createSession(
        db,
        {
          userOid: "2f0c9a4e-5b1d-4c8e-9a7f-3e2d1c0b9a8f",
          tenantId: "5f1c7f0e-2a4b-4c7d-9e8f-0a1b2c3d4e5f",
          displayName: "Sam Scripted",
          username: "sam@keyward.test",
          roles: ["Keyward.KeyAdmin"],
          groups: [],
          authTime: Date.now(),
          userAgent: "vitest",
          sealedTokenCache: "",
        },
        { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 },
      )
    ).session.id;

  it("counts up to the limit, refuses past it, and starts again in the next window", async () => {
    const id = await session();
    const t0 = 1_900_000_000_000;
    for (let n = 0; n < 3; n += 1) await countSessionChange(db, id, 3, t0 + n);
    await expect(countSessionChange(db, id, 3, t0 + 10_000)).rejects.toMatchObject({
      code: "rate_limited",
      retryAfterSeconds: 50,
    });
    await countSessionChange(db, id, 3, t0 + MUTATION_WINDOW_MS);
  });

  it("counts changes sent at the same moment, every one of them", async () => {
    const id = await session();
    const now = 1_900_000_000_000;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => countSessionChange(db, id, 5, now)),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(3);
  });
});
