import { z } from "zod";

import { ACTOR_TYPES, AUDIT_OUTCOMES } from "@/lib/audit/types";
import type { ProblemKind } from "@/lib/audit/verify";

/*
 * The audit API's answers as zod schemas, for the OpenAPI document (public/openapi.json). They
 * describe what the routes send; the routes build their answers in export.ts and
 * verification.ts.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const auditEventShape = z
  .object({
    seq: z.number().int().min(1),
    at: z.iso.datetime(),
    actor: z.object({ type: z.enum(ACTOR_TYPES), id: z.string(), name: z.string() }),
    action: z.string().meta({ example: "sod.rule.update" }),
    target: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    outcome: z.enum(AUDIT_OUTCOMES),
    detail: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    prevHash: hex64,
    hash: hex64,
  })
  .meta({ id: "AuditEvent" });

export const auditPageShape = z.object({
  events: z.array(auditEventShape),
  next: z.string().nullable().meta({ description: "The `before` cursor of the next, older page" }),
  newer: z
    .string()
    .nullable()
    .meta({ description: "The `after` cursor of the previous, newer page" }),
});

const PROBLEM_KINDS = [
  "hash-mismatch",
  "broken-link",
  "gap",
  "missing-tail",
  "head-mismatch",
  "checkpoint-mismatch",
  "checkpoint-signature",
] as const satisfies readonly ProblemKind[];

export const verificationShape = z.object({
  ok: z.boolean(),
  verifiedAt: z.iso.datetime(),
  durationMs: z.number().int(),
  events: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
  checkpoints: z.number().int(),
  lastCheckpoint: z.object({ seq: z.number().int(), at: z.iso.datetime() }).nullable(),
  problems: z.array(
    z.object({ kind: z.enum(PROBLEM_KINDS), seq: z.number().int(), message: z.string() }),
  ),
  moreProblems: z.number().int(),
});

export const keySetShape = z.object({
  keys: z.array(
    z.object({
      kty: z.literal("OKP"),
      crv: z.literal("Ed25519"),
      x: z.string(),
      kid: z.string(),
      alg: z.literal("EdDSA"),
      use: z.literal("sig"),
    }),
  ),
});
