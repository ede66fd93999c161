import { setTimeout as sleep } from "node:timers/promises";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { requestDetail } from "@/lib/requests/store";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import {
  approver,
  grantPortalRoles,
  portalHandle,
  requestHarness,
  type RequestHarness,
} from "./testing/fixture";

/*
 * A read before a write that fails only for now (the HSM throttling every read, past the
 * handle's own retries) leaves the item to be read again after a pause: nothing was written, so
 * the item is not failed for it. Without that, one unlucky read under heavy throttling failed an
 * item of a bulk that would have gone through seconds later.
 */

const HSM = "read-again";
let stack: TestStack;
let database: TestDatabase;
let db: Db;
let h: RequestHarness;

const faults = async (body: unknown) => {
  const response = await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", body);
  expect(response.status).toBe(200);
};

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }], { testMode: true });
  await grantPortalRoles(stack, HSM, [
    BUILT_IN_ROLE_IDS.cryptoUser,
    BUILT_IN_ROLE_IDS.cryptoOfficer,
  ]);
  database = await createTestDatabase("sqlite");
  db = await database.openMigrated();
  // No retries of its own: the handle gives up on the first 429, as it would after its last.
  const handle = portalHandle(stack, HSM, {
    backgroundRetries: { maxRetries: 0, maxTotalWaitMs: 0 },
  });
  h = requestHarness(db, stack, HSM, handle);
}, 60_000);
afterAll(async () => {
  await database?.dispose();
  await stack?.close();
});

describe("the executor's read before writing", () => {
  it("reads a throttled target again after a pause instead of failing the item", async () => {
    const key = "throttled-read";
    await stack.keyClient(HSM, LOCAL_TOOL_CLIENT_ID).createEcKey(key, { hsm: true });
    const id = await h.file({
      kind: "key.update",
      hsm: HSM,
      justification: "Tag the key for its owner",
      items: [{ key, tags: { owner: "payments" } }],
    });
    await h.decide(id, "approve", approver(1));

    await faults({ throttle: { read: { rate: 1 } } });
    const ended = h.execute();
    // Well before the executor's first pause (2 s) is over, the HSM stops throttling.
    await sleep(300);
    await faults({});
    expect(await ended).toContain(id);

    const done = (await requestDetail(db, id))!;
    expect(done.items.map((i) => [i.state, i.error])).toEqual([["executed", null]]);
    const read = await stack.keyClient(HSM, LOCAL_TOOL_CLIENT_ID).getKey(key);
    expect(read.properties.tags).toEqual({ owner: "payments" });
  });
});
