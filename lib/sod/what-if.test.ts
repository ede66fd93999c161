import { describe, expect, it } from "vitest";

import { whatIf, type AssignmentChange } from "@/lib/sod/engine";
import { app, buildModel, group, user } from "@/lib/sod/testing";

const base = buildModel({
  principals: [user("dan"), app("api"), group("ops"), user("erin")],
  groups: { ops: ["erin"] },
  assignments: ["dan:cryptoOfficer@/", "api:cryptoUser@/keys/k1", "ops:cryptoUser@/keys/k2"],
});

const add = (principalId: string, role: string, scope: string): AssignmentChange => ({
  op: "add",
  assignment: { hsm: "hsm-a", scope, roleDefinitionId: role, principalId },
});

describe("what-if", () => {
  it.each([
    {
      name: "giving the officer a usage role creates a conflict",
      change: add("dan", "21dbd100-6940-42c2-9190-5d6cb909625b", "/keys/k1"),
      added: ["manage-and-use:hsm-a:dan", "several-roles:hsm-a:dan"],
      resolved: [],
    },
    {
      name: "a key-scoped usage role for another workload changes nothing",
      change: add("api", "21dbd100-6940-42c2-9190-5d6cb909625b", "/keys/k3"),
      added: [],
      resolved: [],
    },
    {
      name: "a group member inherits the conflict when the group gets the officer role",
      change: add("ops", "515eb02d-2335-4d2d-92f2-b1cbdf9c3778", "/keys/k2"),
      added: ["manage-and-use:hsm-a:ops", "several-roles:hsm-a:ops"],
      resolved: [],
    },
    {
      name: "removing the only administrator assignment risks lockout",
      change: { op: "remove" as const, hsm: "hsm-a", name: "a0" },
      added: ["administrator-count:hsm-a:too-few"],
      resolved: [],
    },
  ])("$name", ({ change, added, resolved }) => {
    const answer = whatIf(base, change);
    expect(answer.added.map((f) => f.id).sort()).toEqual([...added].sort());
    expect(answer.resolved.map((f) => f.id)).toEqual(resolved);
  });

  it("removing one half of a conflict resolves it", () => {
    const conflicted = buildModel({
      principals: [user("dan")],
      assignments: ["dan:cryptoOfficer@/", "dan:cryptoUser@/keys/k1"],
    });
    const answer = whatIf(conflicted, { op: "remove", hsm: "hsm-a", name: "a2" });
    expect(answer.resolved.map((f) => f.id).sort()).toEqual([
      "manage-and-use:hsm-a:dan",
      "several-roles:hsm-a:dan",
    ]);
    expect(answer.added).toEqual([]);
  });

  it("a conflict that widens is reported as changed, not as new", () => {
    const conflicted = buildModel({
      principals: [app("api")],
      assignments: ["api:cryptoOfficer@/keys/k1", "api:cryptoUser@/keys/k1"],
    });
    const answer = whatIf(conflicted, add("api", "21dbd100-6940-42c2-9190-5d6cb909625b", "/keys"));
    const widened = answer.changed.find((c) => c.after.ruleId === "manage-and-use");
    expect(widened?.before.keys).toEqual({ all: false, names: ["k1"] });
    expect(widened?.after.keys).toEqual({ all: true, names: [] });
    expect(answer.added.map((f) => f.ruleId)).toEqual(["hsm-wide-usage"]);
  });
});
