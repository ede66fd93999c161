import { randomBytes, randomUUID } from "node:crypto";

import type { AuditContext } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import type { TestDatabase } from "@/lib/db/testing/databases";
import { isAppError } from "@/lib/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { decideRequest, type DecisionInput } from "@/lib/requests/decisions";
import { executeApprovedRequests, type ExecutorDeps } from "@/lib/requests/executor";
import { fileRequest, type FilingInput } from "@/lib/requests/filing";
import type { Decider } from "@/lib/requests/policy";
import type { RequestPerson } from "@/lib/requests/types";
import type { TestStack } from "@/scripts/lib/test-stack";

import type { ExecutorWorkerConfig } from "./executor-worker";

/*
 * What the change-request tests share: people (a requester and three approvers with fresh
 * sign-ins), the portal's handle on an emulated HSM acting as the tool client (the portal's
 * application identity in these tests), and the service's steps with their audit contexts.
 */

export const REQUESTER: RequestPerson = {
  id: "0a1b2c3d-0000-4000-8000-000000000001",
  name: "Kim Keyadmin",
};
export const approver = (n: number, now = Date.now()): Decider & RequestPerson => ({
  id: `0a1b2c3d-0000-4000-8000-00000000010${n}`,
  name: `Approver ${n}`,
  mayApprove: true,
  groups: new Set(),
  authTime: now - 60_000,
});

export const audit = (action: string, person: RequestPerson = REQUESTER): AuditContext => ({
  actor: { type: "user", id: person.id, name: person.name },
  requestId: randomUUID(),
  action,
});

/** The AppError a promise rejects with, as its code and words; fails when it resolves. */
export async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

/** Gives the portal's identity in these tests (the tool client) the roles it writes with. */
export async function grantPortalRoles(
  stack: TestStack,
  hsm: string,
  roles: readonly string[],
): Promise<void> {
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const role of roles) await stack.grant(hsm, tool, role);
}

export function portalHandle(
  stack: TestStack,
  hsm: string,
  options: Parameters<typeof createHsmHandle>[2] = {},
): HsmHandle {
  return createHsmHandle(
    { name: hsm, region: "West Europe", url: stack.hsmUrl(hsm), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
    options,
  );
}

export interface RequestHarness {
  db: Db;
  sealKey: Buffer;
  deps: ExecutorDeps;
  file: (input: FilingInput, filer?: RequestPerson) => Promise<string>;
  decide: (
    id: string,
    decision: "approve" | "reject",
    by: Decider & RequestPerson,
    input?: DecisionInput,
  ) => ReturnType<typeof decideRequest>;
  /** Runs the executor in this process; `laterMs` runs it as if that much later (claims ran out). */
  execute: (laterMs?: number) => Promise<string[]>;
  workerConfig: (
    database: TestDatabase,
    options: { lease: boolean; itemConcurrency?: number },
  ) => ExecutorWorkerConfig;
}

/** `toolSecret`: the tool client's secret, for executors started in processes of their own. */
export function requestHarness(
  db: Db,
  stack: TestStack,
  hsm: string,
  handle: HsmHandle,
  toolSecret = "",
): RequestHarness {
  const sealKey = randomBytes(32);
  const deps: ExecutorDeps = {
    db,
    handleOf: () => handle,
    sealKeys: [sealKey],
    actor: {
      type: "application",
      id: LOCAL_TOOL_CLIENT_ID,
      name: "Keyward (application identity)",
    },
  };
  return {
    db,
    sealKey,
    deps,
    file: async (input, filer = REQUESTER) =>
      (
        await fileRequest(
          { db, handleOf: () => handle, sealKeys: [sealKey] },
          filer,
          input,
          audit("request.file", filer),
        )
      ).request.id,
    decide: (id, decision, by, input = {}) =>
      decideRequest(
        { db },
        id,
        decision,
        by,
        decision === "reject" && !input.comment ? { comment: "not now" } : input,
        audit(`request.${decision}`, by),
      ),
    execute: (laterMs = 0) =>
      executeApprovedRequests(laterMs ? { ...deps, now: () => Date.now() + laterMs } : deps),
    workerConfig: (database, { lease, itemConcurrency = 16 }) => ({
      database: database.config,
      hsm: { name: hsm, url: stack.hsmUrl(hsm) },
      caPem: stack.caPem,
      issuer: stack.idp.issuer,
      appId: LOCAL_TOOL_CLIENT_ID,
      secret: toolSecret,
      sealKey: sealKey.toString("base64"),
      lease,
      itemConcurrency,
    }),
  };
}
