import { z } from "zod";

import { REQUEST_KIND_NAMES } from "@/lib/requests/kind-names";
import { MAX_ITEMS } from "@/lib/requests/limits";
import { approvalPolicy } from "@/lib/requests/policy";
import { ITEM_STATES, REQUEST_STATES } from "@/lib/requests/state-machine";
import type { RequestDetail, RequestSummary } from "@/lib/requests/types";
import type { WhatIf } from "@/lib/sod/engine";
import { hsmName } from "@/lib/validation/primitives";

/*
 * The change-request API's bodies and answers as zod schemas: the routes parse with the inputs,
 * and the OpenAPI document (public/openapi.json) publishes both. Times are ISO 8601 in UTC.
 */

export const fileRequestBody = z
  .strictObject({
    kind: z.enum(REQUEST_KIND_NAMES, { message: "must be a request kind such as key.rotate" }),
    hsm: hsmName.optional().meta({ description: "The HSM changed; absent only for policy.update" }),
    justification: z
      .string()
      .trim()
      .min(10, "say in at least 10 characters why the change is needed")
      .max(2000, "must be at most 2,000 characters"),
    items: z
      .array(z.unknown())
      .min(1, "a request holds at least one item")
      .max(MAX_ITEMS, `a request holds at most ${MAX_ITEMS} items`)
      .meta({
        description:
          "One change per target, all of the request's kind (see the kinds in the README)",
      }),
  })
  .meta({ id: "FileChangeRequest" });

export const approveBody = z
  .strictObject({
    comment: z.string().trim().max(2000).optional(),
    acknowledge: z
      .strictObject({
        reason: z
          .string()
          .trim()
          .min(10, "say in at least 10 characters why the findings are accepted")
          .max(2000),
      })
      .optional()
      .meta({ description: "Needed when approving adds a critical separation-of-duties finding" }),
  })
  .default({});

export const rejectBody = z.strictObject({
  reason: z.string().trim().min(1, "say why you reject the request").max(2000),
});

const iso = z.iso.datetime();
const person = z.object({ id: z.string(), name: z.string() });

export const requestSummaryShape = z
  .object({
    id: z.uuid(),
    kind: z.enum(REQUEST_KIND_NAMES),
    hsm: z.string().nullable(),
    state: z.enum(REQUEST_STATES),
    summary: z.string(),
    justification: z.string(),
    requester: person,
    itemCount: z.number().int(),
    approvalsRequired: z.number().int(),
    approvals: z.number().int(),
    filedAt: iso,
    expiresAt: iso,
    decidedAt: iso.nullable(),
    finishedAt: iso.nullable(),
    outcome: z.string().nullable(),
  })
  .meta({ id: "ChangeRequestSummary" });

const findingShape = z
  .object({ id: z.string(), severity: z.string(), summary: z.string() })
  .passthrough();

export const requestDetailShape = requestSummaryShape
  .extend({
    policy: approvalPolicy,
    decisions: z.array(
      z.object({
        approver: person,
        decision: z.enum(["approve", "reject"]),
        comment: z.string().nullable(),
        acknowledgement: z.object({ reason: z.string(), findings: z.array(z.string()) }).nullable(),
        at: iso,
      }),
    ),
    items: z.array(
      z.object({
        position: z.number().int(),
        target: z.record(z.string(), z.string()),
        change: z.record(z.string(), z.unknown()),
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.unknown(),
        state: z.enum(ITEM_STATES),
        attempts: z.number().int(),
        error: z.string().nullable(),
        startedAt: iso.nullable(),
        finishedAt: iso.nullable(),
      }),
    ),
    timeline: z.array(
      z.object({
        at: iso,
        actor: z.string(),
        what: z.string(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    impact: z
      .object({
        added: z.array(findingShape),
        resolved: z.array(findingShape),
        changed: z.array(z.object({ before: findingShape, after: findingShape })),
        unchanged: z.number().int(),
      })
      .nullable()
      .meta({
        description: "Role-assignment kinds: the separation-of-duties what-if, computed now",
      }),
  })
  .meta({ id: "ChangeRequest" });

export const requestPageShape = z.object({
  requests: z.array(requestSummaryShape),
  next: z.string().nullable().meta({ description: "The `before` cursor of the next, older page" }),
});

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function apiRequestSummary(request: RequestSummary) {
  return {
    id: request.id,
    kind: request.kind,
    hsm: request.hsm,
    state: request.state,
    summary: request.summary,
    justification: request.justification,
    requester: request.requester,
    itemCount: request.itemCount,
    approvalsRequired: request.approvalsRequired,
    approvals: request.approvals,
    filedAt: new Date(request.filedAt).toISOString(),
    expiresAt: new Date(request.expiresAt).toISOString(),
    decidedAt: isoOrNull(request.decidedAt),
    finishedAt: isoOrNull(request.finishedAt),
    outcome: request.outcome,
  };
}

export function apiRequestDetail(request: RequestDetail, impact: WhatIf | null = null) {
  return {
    ...apiRequestSummary(request),
    policy: request.policy,
    decisions: request.decisions.map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
    items: request.items.map((item) => ({
      ...item,
      startedAt: isoOrNull(item.startedAt),
      finishedAt: isoOrNull(item.finishedAt),
    })),
    timeline: request.timeline.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    impact,
  };
}
