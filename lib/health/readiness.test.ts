import { describe, expect, it } from "vitest";

import type { CheckResult } from "@/lib/health/checks";
import {
  bearerToken,
  readinessAnswer,
  readinessAudience,
  sameSecret,
  type ReadinessAudience,
} from "@/lib/health/readiness";

const TOKEN = "a-readiness-token-of-forty-characters-xx";

describe("bearerToken", () => {
  it.each<[string | null, string | undefined]>([
    [null, undefined],
    ["", undefined],
    [`Bearer ${TOKEN}`, TOKEN],
    [`bearer ${TOKEN}`, TOKEN],
    [`BEARER   ${TOKEN}  `, TOKEN],
    ["Bearer", ""],
    ["Bearer ", ""],
    ["Basic bGI6c2VjcmV0", undefined],
    [`Bearer${TOKEN}`, undefined],
    [`Token ${TOKEN}`, undefined],
  ])("reads %j as %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe("sameSecret", () => {
  it.each([
    [TOKEN, TOKEN, true],
    [`${TOKEN.slice(0, -1)}y`, TOKEN, false],
    [TOKEN.slice(0, 10), TOKEN, false],
    [`${TOKEN}x`, TOKEN, false],
    ["", TOKEN, false],
    ["", "", true],
  ])("%j against %j: %s", (presented, expected, same) => {
    expect(sameSecret(presented, expected)).toBe(same);
  });
});

describe("readinessAudience", () => {
  it.each<[string, string | null, string | undefined, boolean, ReadinessAudience]>([
    ["an anonymous caller", null, TOKEN, false, "status-only"],
    ["a session without status.read", null, TOKEN, false, "status-only"],
    ["a session with status.read", null, TOKEN, true, "details"],
    ["the configured token", `Bearer ${TOKEN}`, TOKEN, false, "details"],
    ["a wrong token", `Bearer ${TOKEN}x`, TOKEN, false, "invalid-token"],
    ["an empty token", "Bearer", TOKEN, false, "invalid-token"],
    ["any token when none is configured", `Bearer ${TOKEN}`, undefined, false, "invalid-token"],
    ["a wrong token even with status.read", "Bearer nope", TOKEN, true, "invalid-token"],
    ["another scheme", "Basic bGI6c2VjcmV0", TOKEN, false, "status-only"],
    ["another scheme with status.read", "Basic bGI6c2VjcmV0", TOKEN, true, "details"],
  ])("gives %s: %s", (_name, authorization, readyToken, mayReadStatus, audience) => {
    expect(readinessAudience({ authorization, readyToken, mayReadStatus })).toBe(audience);
  });
});

describe("readinessAnswer", () => {
  const check = (name: string, status: "pass" | "fail"): CheckResult => ({
    name,
    kind: "hsm",
    target: `https://${name}.managedhsm.azure.net`,
    status,
    latencyMs: 12,
    ...(status === "fail" ? { detail: "no answer within 3000 ms" } : {}),
  });
  const ready = [check("weu", "pass"), check("neu", "pass")];
  const notReady = [check("weu", "pass"), check("neu", "fail")];
  const at = Date.parse("2026-12-02T08:00:00Z");

  it.each([
    ["ready", ready, 200, "pass"],
    ["not ready", notReady, 503, "fail"],
    ["without dependencies", [], 200, "pass"],
  ] as const)("answers %s with %i", (_name, checks, httpStatus, status) => {
    for (const audience of ["status-only", "details"] as const) {
      const answer = readinessAnswer(checks, at, audience, "1.2.3");
      expect(answer.httpStatus).toBe(httpStatus);
      expect(answer.body.status).toBe(status);
    }
  });

  it("tells the status-only audience the status and version, and nothing of the dependencies", () => {
    const { body } = readinessAnswer(notReady, at, "status-only", "1.2.3");
    expect(body).toEqual({ status: "fail", version: "1.2.3" });
  });

  it("tells the details audience every check and when they ran", () => {
    const { body } = readinessAnswer(notReady, at, "details", "1.2.3");
    expect(body).toEqual({
      status: "fail",
      version: "1.2.3",
      checkedAt: "2026-12-02T08:00:00.000Z",
      checks: notReady,
    });
  });
});
