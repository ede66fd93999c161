import { describe, expect, it } from "vitest";

import type { PortalSession } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { checkAccess, type RouteAccess } from "@/lib/http/authorize";

const NOW = Date.UTC(2026, 10, 29, 12);

function session(roles: string[], authTime: number | null = null): PortalSession {
  return {
    id: "h",
    publicId: "p",
    userOid: "u",
    tenantId: "t",
    displayName: "Kim",
    username: "kim@keyward.test",
    roles,
    groups: [],
    createdAt: NOW - 60_000,
    lastSeenAt: NOW,
    expiresAt: NOW + 3_600_000,
    idleExpiresAt: NOW + 1_800_000,
    authTime,
    userAgent: "",
  };
}

function outcome(current: PortalSession | null, access: RouteAccess): string {
  try {
    checkAccess(current, access, NOW);
    return "allowed";
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe("checkAccess", () => {
  const statusRead = { permission: "status.read" } as const;
  const recent = { permission: "account.read", recentSignInMinutes: 10 } as const;

  it.each<[string, PortalSession | null, RouteAccess, string]>([
    ["public, signed out", null, "public", "allowed"],
    ["public, signed in", session(["Keyward.Auditor"]), "public", "allowed"],
    ["session, signed out", null, "session", "401 unauthenticated"],
    ["session, without any role", session([]), "session", "allowed"],
    ["permission, signed out", null, statusRead, "401 unauthenticated"],
    ["permission, without any role", session([]), statusRead, "403 forbidden"],
    ["permission the role lacks", session(["Keyward.Requester"]), statusRead, "403 forbidden"],
    ["permission the role holds", session(["Keyward.Auditor"]), statusRead, "allowed"],
    [
      "permission through a second role",
      session(["Keyward.Approver", "Keyward.KeyAdmin"]),
      statusRead,
      "allowed",
    ],
    [
      "recent sign-in, unknown sign-in time",
      session(["Keyward.Approver"], null),
      recent,
      "401 reauthentication_required",
    ],
    [
      "recent sign-in, 11 minutes old",
      session(["Keyward.Approver"], NOW - 11 * 60_000),
      recent,
      "401 reauthentication_required",
    ],
    [
      "recent sign-in, 9 minutes old",
      session(["Keyward.Approver"], NOW - 9 * 60_000),
      recent,
      "allowed",
    ],
    ["recent sign-in, but the permission is missing", session([], NOW), recent, "403 forbidden"],
  ])("%s → %s", (_name, current, access, expected) => {
    expect(outcome(current, access)).toBe(expected);
  });

  it("names the missing permission and the caller's roles", () => {
    expect(() => checkAccess(session(["Keyward.Requester"]), statusRead, NOW)).toThrow(
      /"status.read".*your roles \(Requester\) do not grant it/,
    );
  });

  it("says where to sign in again", () => {
    try {
      checkAccess(session(["Keyward.Approver"]), recent, NOW);
    } catch (error) {
      expect((error as AppError).extensions).toEqual({ signInUrl: "/api/auth/sign-in?reauth=1" });
    }
  });
});
