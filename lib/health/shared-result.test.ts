import { describe, expect, it } from "vitest";

import { sharedResult } from "@/lib/health/shared-result";

/** A run the test settles by hand, counting how often it was started. */
function controlledRun() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  const run = () =>
    new Promise<number>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { run, pending };
}

describe("sharedResult", () => {
  it("shares one run among concurrent callers", async () => {
    const { run, pending } = controlledRun();
    const clock = { now: 1_000 };
    const shared = sharedResult(run, 5_000, () => clock.now);
    const callers = [shared(), shared(), shared()];
    expect(pending).toHaveLength(1);
    pending[0]!.resolve(42);
    expect(await Promise.all(callers)).toEqual([
      { value: 42, at: 1_000 },
      { value: 42, at: 1_000 },
      { value: 42, at: 1_000 },
    ]);
  });

  it.each([
    ["just after the run", 0, 1],
    ["within the time to keep it", 4_999, 1],
    ["once that time has passed", 5_000, 2],
    ["long after", 60_000, 2],
  ])("answers from the last run %s (%i ms later: %i runs)", async (_name, later, runs) => {
    const { run, pending } = controlledRun();
    const clock = { now: 1_000 };
    const shared = sharedResult(run, 5_000, () => clock.now);
    const first = shared();
    pending[0]!.resolve(1);
    await first;
    clock.now += later;
    const second = shared();
    expect(pending).toHaveLength(runs);
    pending[runs - 1]!.resolve(2);
    expect((await second).value).toBe(runs);
  });

  it("keeps the time the result came, not the time it was asked for", async () => {
    const { run, pending } = controlledRun();
    const clock = { now: 1_000 };
    const shared = sharedResult(run, 5_000, () => clock.now);
    const first = shared();
    clock.now = 3_000;
    pending[0]!.resolve(7);
    expect(await first).toEqual({ value: 7, at: 3_000 });
    clock.now = 7_999;
    void shared();
    expect(pending).toHaveLength(1);
  });

  it("does not keep a failed run: its callers share the failure, the next caller runs again", async () => {
    const { run, pending } = controlledRun();
    const shared = sharedResult(run, 5_000, () => 1_000);
    const callers = [shared(), shared()];
    pending[0]!.reject(new Error("no database"));
    for (const caller of callers) await expect(caller).rejects.toThrow("no database");
    const retry = shared();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(9);
    expect((await retry).value).toBe(9);
  });
});
