import "server-only";

import type { AuditContext } from "@/lib/audit/types";
import { getAuthConfig } from "@/lib/auth/config";
import { hasPermission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { configuredHsms } from "@/lib/hsm/targets";
import { kickNotifications, requestNotify } from "@/lib/notify/job";
import { cancelRequest, decideRequest, type DecisionInput } from "@/lib/requests/decisions";
import { kickExecutor } from "@/lib/requests/executor-job";
import { fileRequest, type FilingInput } from "@/lib/requests/filing";
import type { RequestFilters } from "@/lib/requests/filters";
import type { RequestKind } from "@/lib/requests/kind-names";
import {
  countToReview,
  listRequests,
  maySee,
  type RequestPage,
  type RequestViewer,
} from "@/lib/requests/list";
import { allPolicies } from "@/lib/requests/policies";
import { decisionRefusal, type ApprovalPolicy } from "@/lib/requests/policy";
import { SETTLED_STATES } from "@/lib/requests/state-machine";
import { requestDetail } from "@/lib/requests/store";
import type { RequestDetail, RequestPerson } from "@/lib/requests/types";
import { principalKind } from "@/lib/self-service/principals";
import type { WhatIf } from "@/lib/sod/engine";
import { whatIfAssignments } from "@/lib/sod/service";

/*
 * Change requests as routes and pages use them: the signed-in person becomes the filer, the
 * decider or the viewer here, and the portal's database, HSM handles and sealing keys are
 * wired in. Routes check the permission first; visibility and the decision rules are here.
 */

function viewerOf(session: PortalSession): RequestViewer {
  return {
    id: session.userOid,
    readAll: hasPermission(session.roles, "requests.readAll"),
    groups: session.groups,
  };
}

const person = (session: PortalSession) => ({ id: session.userOid, name: session.displayName });

async function deps() {
  return {
    db: await getDb(),
    handleOf: portalHsmOrThrow,
    sealKeys: getAuthConfig().sessionKeys,
    notify: requestNotify(),
  };
}

/** Posts the event just committed without waiting for it (the outbox keeps it either way). */
function sendNotifications(): void {
  if (requestNotify()) void kickNotifications();
}

/**
 * Files a request as the signed-in person. Without `requests.file` they file only for their
 * groups' keys, within the self-service rules, and a grant that would add a critical
 * separation-of-duties finding is refused. A request that needs no approval runs at once.
 */
export async function fileChangeRequest(
  session: PortalSession,
  input: FilingInput,
  audit: AuditContext,
  idempotencyKey?: string,
) {
  const mayFileAny = hasPermission(session.roles, "requests.file");
  const filer = {
    ...person(session),
    ownGroupsOnly: mayFileAny ? undefined : new Set(session.groups.map((g) => g.toLowerCase())),
  };
  const filed = await fileRequest(
    {
      ...(await deps()),
      principalKindOf: principalKind,
      criticalFindingsOf: mayFileAny
        ? undefined
        : async (hsm, added) =>
            (
              await whatIfAssignments(
                hsm,
                added.map((a) => ({ op: "add" as const, ...a })),
              )
            ).added.filter((finding) => finding.severity === "critical"),
    },
    filer,
    input,
    audit,
    idempotencyKey,
  );
  if (filed.created && filed.request.state === "approved") kickExecutor();
  if (filed.created) sendNotifications();
  return filed;
}

/**
 * Files a request that another workflow of the portal raises for the person acting in it (an
 * access review's flag becomes a role-assignment.delete request): that workflow checked its own
 * permission, so no self-service limits apply; `inFilingTransaction` commits with the filing.
 */
export async function fileForWorkflow(
  filer: RequestPerson,
  input: FilingInput,
  audit: AuditContext,
  idempotencyKey: string,
  inFilingTransaction: (trx: Db, requestId: string) => Promise<void>,
) {
  const filed = await fileRequest(
    { ...(await deps()), principalKindOf: principalKind, inFilingTransaction },
    filer,
    input,
    audit,
    idempotencyKey,
  );
  if (filed.created && filed.request.state === "approved") kickExecutor();
  if (filed.created) sendNotifications();
  return filed;
}

/**
 * A page of the request list, with the HSM names its filter offers and the moment it was read
 * (from the configuration: the list needs no sync state, so it reads nothing else).
 */
export async function requestPage(
  session: PortalSession,
  filters: RequestFilters,
): Promise<RequestPage & { hsms: string[]; now: number }> {
  const page = await listRequests(await getDb(), viewerOf(session), filters);
  return { ...page, hsms: configuredHsms(getEnv()).map((h) => h.name), now: Date.now() };
}

export async function requestsToReview(session: PortalSession): Promise<number> {
  if (!hasPermission(session.roles, "requests.approve")) return 0;
  return countToReview(await getDb(), session.userOid);
}

/** The findings a role-assignment request would add, resolve or change, computed now. */
async function impactOf(request: RequestDetail): Promise<WhatIf | null> {
  if (!request.hsm || !request.kind.startsWith("role-assignment.")) return null;
  if (SETTLED_STATES.has(request.state)) return null;
  return whatIfAssignments(
    request.hsm,
    request.items.map((item) =>
      request.kind === "role-assignment.create"
        ? {
            op: "add" as const,
            scope: String(item.change.scope),
            roleDefinitionId: String(item.change.roleDefinitionId),
            principalId: String(item.change.principalId),
            name: String(item.change.name),
          }
        : { op: "remove" as const, name: String(item.change.name) },
    ),
  );
}

/** What the viewer may do with a request now, and why not. */
export interface RequestActions {
  approve: { allowed: boolean; reason: string | null; reauthenticate: boolean };
  cancel: boolean;
}

export interface RequestView {
  request: RequestDetail;
  impact: WhatIf | null;
  actions: RequestActions;
}

async function loadVisible(session: PortalSession, id: string): Promise<RequestDetail> {
  const request = await requestDetail(await getDb(), id);
  if (!request || !maySee(viewerOf(session), request, request.ownerGroups))
    throw new AppError("not_found", `There is no change request ${id} you can see.`);
  return request;
}

export async function requestView(
  session: PortalSession,
  id: string,
  now = Date.now(),
): Promise<RequestView> {
  const request = await loadVisible(session, id);
  const refusal = decisionRefusal(
    {
      state: request.state,
      requesterId: request.requester.id,
      policy: request.policy,
      deciderIds: request.decisions.map((d) => d.approver.id),
    },
    deciderOf(session),
    now,
  );
  return {
    request,
    impact: await impactOf(request),
    actions: {
      approve: {
        allowed: refusal === null || refusal.code === "reauthentication_required",
        reason: refusal?.reason ?? null,
        reauthenticate: refusal?.code === "reauthentication_required",
      },
      cancel: request.state === "pending" && request.requester.id === session.userOid,
    },
  };
}

function deciderOf(session: PortalSession) {
  return {
    ...person(session),
    mayApprove: hasPermission(session.roles, "requests.approve"),
    groups: new Set(session.groups.map((g) => g.toLowerCase())),
    authTime: session.authTime,
  };
}

export async function decideChangeRequest(
  session: PortalSession,
  id: string,
  decision: "approve" | "reject",
  input: DecisionInput,
  audit: AuditContext,
): Promise<RequestDetail> {
  await loadVisible(session, id);
  const decided = await decideRequest(
    {
      db: await getDb(),
      criticalFindingsOf: async (request) =>
        (await impactOf(request))?.added.filter((finding) => finding.severity === "critical") ?? [],
      notify: requestNotify(),
    },
    id,
    decision,
    deciderOf(session),
    input,
    audit,
  );
  if (decided.state === "approved") kickExecutor();
  if (decided.state !== "pending") sendNotifications();
  return decided;
}

export async function cancelChangeRequest(session: PortalSession, id: string, audit: AuditContext) {
  await loadVisible(session, id);
  const cancelled = await cancelRequest(
    { db: await getDb(), notify: requestNotify() },
    id,
    person(session),
    audit,
  );
  sendNotifications();
  return cancelled;
}

export async function approvalPolicies(): Promise<Record<RequestKind, ApprovalPolicy>> {
  return allPolicies(await getDb());
}
