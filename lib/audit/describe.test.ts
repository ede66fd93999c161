import { describe, expect, it } from "vitest";

import { describeTarget } from "@/lib/audit/describe";
import type { AuditTarget } from "@/lib/audit/types";

describe("describeTarget", () => {
  it.each<[AuditTarget, string]>([
    [{ hsm: "keyward-weu", key: "k1" }, "key k1 in HSM keyward-weu"],
    [{ key: "k1" }, "key k1"],
    [{ hsm: "keyward-neu" }, "HSM keyward-neu"],
    [{ rule: "several-roles" }, "rule several-roles"],
    [{ path: "/api/sod/rules/several-roles" }, "path /api/sod/rules/several-roles"],
    [{ request: "r-1", step: 2 }, "change request r-1, step 2"],
    [{ owner: null }, "owner none"],
    [{}, "—"],
  ])("%j reads %s", (target, words) => {
    expect(describeTarget(target)).toBe(words);
  });
});
