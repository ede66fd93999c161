import { expect } from "vitest";

import type { Db } from "@/lib/db/client";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { requestDetail } from "@/lib/requests/store";
import type { TestStack } from "@/scripts/lib/test-stack";

import { approver, type RequestHarness } from "./fixture";

/*
 * What the fault suite (*.faults.test.ts) shares: the emulator's fault switch and its audit log
 * (what was injected), keys with the rotation policy on-demand rotation needs, and the two
 * independent witnesses of "exactly once": the versions the HSM holds, read with the real SDK,
 * and the portal's audit log (one `request.item.execute` per item, one `request.execute` per
 * request).
 */

/** The emulator's fault body (packages/hsm-emulator FaultConfig, as PUT /emulator/faults takes it). */
export interface Faults {
  latencyMs?: number;
  throttle?: Partial<Record<"read" | "write" | "rbac" | "backup", { rate: number }>>;
  unavailableRate?: number;
  resetRate?: number;
  resetWhen?: "before" | "after" | "either";
  resetClasses?: ("read" | "write" | "rbac" | "backup")[];
}

export const admin = (
  stack: TestStack,
  hsm: string,
  method: string,
  path: string,
  body?: unknown,
) => stack.request(hsm, LOCAL_TOOL_CLIENT_ID, method, path, body);

export async function setFaults(stack: TestStack, hsm: string, faults: Faults): Promise<void> {
  const response = await admin(stack, hsm, "PUT", "/emulator/faults", faults);
  if (response.status !== 200) throw new Error(`faults: ${response.status} ${response.text}`);
}

/**
 * Runs `work` under `faults`, the first `slowMs` of it also with 2 s of latency on every call
 * (the calls under way then: a handful, so that the suite stays fast), then clears the faults.
 */
export async function underFaults<T>(
  stack: TestStack,
  hsm: string,
  faults: Faults,
  work: () => Promise<T>,
  slowMs = 1_500,
): Promise<T> {
  await setFaults(stack, hsm, { ...faults, latencyMs: 2_000 });
  const slowOver = new Promise<void>((resolve) =>
    setTimeout(() => void setFaults(stack, hsm, faults).finally(resolve), slowMs),
  );
  try {
    return await work();
  } finally {
    await slowOver;
    await setFaults(stack, hsm, {});
  }
}

export interface Injected {
  throttled: number;
  unavailable: number;
  reset: number;
  /** The emulator's last audit id seen: the start of the next count. */
  last: number;
}

/** The faults the emulator answered with since audit id `after`: 429s, 503s and resets (status 0). */
export async function injectedSince(stack: TestStack, hsm: string, after = 0): Promise<Injected> {
  const counts: Injected = { throttled: 0, unavailable: 0, reset: 0, last: after };
  for (;;) {
    const page = await admin(stack, hsm, "GET", `/emulator/audit?after=${counts.last}&limit=5000`);
    if (page.status !== 200) throw new Error(`audit: ${page.status} ${page.text}`);
    const events = (page.body as { value: { id: number; status: number }[] }).value;
    for (const e of events) {
      if (e.status === 429) counts.throttled += 1;
      else if (e.status === 503) counts.unavailable += 1;
      else if (e.status === 0) counts.reset += 1;
      counts.last = e.id;
    }
    // Each read of the log is itself logged: a short page is the end.
    if (events.length < 5_000) return counts;
  }
}

export const injectedTotal = (i: Injected) => i.throttled + i.unavailable + i.reset;

/** `count` EC keys named `${prefix}-nnn`, each with a rotation policy (on-demand rotation needs one). */
export async function keysWithPolicy(
  stack: TestStack,
  hsm: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  for (let i = 0; i < names.length; i += 25)
    await Promise.all(
      names.slice(i, i + 25).map(async (name) => {
        const created = await admin(stack, hsm, "POST", `/keys/${name}/create`, { kty: "EC-HSM" });
        if (created.status !== 200) throw new Error(`create ${name}: ${created.status}`);
        const policy = await admin(stack, hsm, "PUT", `/keys/${name}/rotationpolicy`, {
          lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } }],
          attributes: { expiryTime: "P1Y" },
        });
        if (policy.status !== 200) throw new Error(`policy ${name}: ${policy.status}`);
      }),
    );
  return names;
}

/** Each key's number of versions, as the HSM lists them to the real SDK; 0 for a missing key. */
export async function versionCounts(
  stack: TestStack,
  hsm: string,
  names: readonly string[],
): Promise<Record<string, number>> {
  const client = stack.keyClient(hsm, LOCAL_TOOL_CLIENT_ID);
  // A fresh KeyClient's first requests must not race its challenge (see lib/hsm/policies.ts).
  await client.getKey(names[0]!).catch(() => undefined);
  const counts: Record<string, number> = {};
  for (let i = 0; i < names.length; i += 25)
    await Promise.all(
      names.slice(i, i + 25).map(async (name) => {
        let n = 0;
        try {
          for await (const version of client.listPropertiesOfKeyVersions(name)) if (version) n += 1;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
        counts[name] = n;
      }),
    );
  return counts;
}

/** Files `items` as one request and approves it with as many approvers as it needs. */
export async function approvedRequest(
  h: RequestHarness,
  hsm: string,
  kind: "key.rotate" | "key.create",
  items: unknown[],
): Promise<string> {
  const id = await h.file({
    kind,
    hsm,
    justification: "Fault suite: exactly once under trouble",
    items,
  });
  const filed = (await requestDetail(h.db, id))!;
  for (let n = 1; n <= filed.approvalsRequired; n += 1) await h.decide(id, "approve", approver(n));
  return id;
}

/**
 * The portal's audit log as a witness: how many `request.item.execute` events each item of
 * the request has (by position), and how many `request.execute` (the request's ending) it has.
 */
export async function auditedExecutions(
  db: Db,
  requestId: string,
): Promise<{ items: Map<number, number>; endings: number }> {
  const events = await db
    .selectFrom("audit_event")
    .select(["action", "target"])
    .where("action", "in", ["request.item.execute", "request.execute"])
    .where("request_id", "=", requestId)
    .execute();
  const items = new Map<number, number>();
  let endings = 0;
  for (const e of events) {
    if (e.action === "request.execute") endings += 1;
    else {
      const { item } = JSON.parse(e.target) as { item: number };
      items.set(item, (items.get(item) ?? 0) + 1);
    }
  }
  return { items, endings };
}

/**
 * Asserts that a request ran exactly once by both witnesses: it ended `executed` with every item
 * executed, each item audited once, the request's ending audited once. Returns the duplicates
 * found (always 0 when the assertions pass; reported by the suite).
 */
export async function expectExecutedOnce(db: Db, requestId: string): Promise<number> {
  const done = (await requestDetail(db, requestId))!;
  expect(
    done.items.filter((i) => i.state !== "executed").map((i) => `${i.target.key}: ${i.error}`),
  ).toEqual([]);
  expect(done.state).toBe("executed");
  const { items, endings } = await auditedExecutions(db, requestId);
  const duplicates = [...items.values()].filter((n) => n > 1).length + Math.max(0, endings - 1);
  expect(items.size).toBe(done.items.length);
  expect([...items.values()].every((n) => n === 1)).toBe(true);
  expect(endings).toBe(1);
  return duplicates;
}
