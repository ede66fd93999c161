import { createHash, timingSafeEqual } from "node:crypto";

import type { CheckResult, CheckStatus } from "@/lib/health/checks";

/*
 * Who learns what from GET /api/ready. Anyone may ask whether the portal is ready (load
 * balancers, orchestrators); only key administrators, auditors and the holder of the readiness
 * token learn which dependencies there are, where they live and how they answer. Pure.
 */

/** How long one round of dependency probes answers every readiness caller. */
export const READINESS_CACHE_MS = 5_000;

export type ReadinessAudience = "status-only" | "details" | "invalid-token";

/**
 * The token of an `Authorization: Bearer …` header (empty when the scheme has none); undefined
 * for no header or another scheme, such as Basic from a proxy in front of the portal.
 */
export function bearerToken(authorization: string | null): string | undefined {
  const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization?.trim() ?? "");
  return match ? (match[1] ?? "").trim() : undefined;
}

/**
 * Equal secrets, compared in constant time: both are hashed first, so neither the position of
 * the first difference nor a difference in length shows in the time taken.
 */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * A presented bearer token decides alone: the configured token sees the details, any other is
 * refused (a load balancer with a stale token should hear so, not get less). Without one, a
 * session with "status.read" sees the details and everyone else the status only.
 */
export function readinessAudience(caller: {
  authorization: string | null;
  readyToken: string | undefined;
  mayReadStatus: boolean;
}): ReadinessAudience {
  const token = bearerToken(caller.authorization);
  if (token !== undefined)
    return caller.readyToken !== undefined && sameSecret(token, caller.readyToken)
      ? "details"
      : "invalid-token";
  return caller.mayReadStatus ? "details" : "status-only";
}

export interface ReadinessAnswer {
  httpStatus: 200 | 503;
  body:
    | { status: CheckStatus; version: string }
    | { status: CheckStatus; version: string; checkedAt: string; checks: CheckResult[] };
}

/** 200 when every dependency passed, else 503; the body as much as the audience may see. */
export function readinessAnswer(
  checks: readonly CheckResult[],
  checkedAt: number,
  audience: Exclude<ReadinessAudience, "invalid-token">,
  version: string,
): ReadinessAnswer {
  const status: CheckStatus = checks.every((check) => check.status === "pass") ? "pass" : "fail";
  const httpStatus = status === "pass" ? 200 : 503;
  if (audience === "status-only") return { httpStatus, body: { status, version } };
  return {
    httpStatus,
    body: { status, version, checkedAt: new Date(checkedAt).toISOString(), checks: [...checks] },
  };
}
