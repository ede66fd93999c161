import { describe, expect, it } from "vitest";

import { HEALTH_KINDS, healthSections } from "@/lib/calendar/health";
import type { HealthKind } from "@/lib/rotation/schedule";

const rows = (kind: HealthKind, n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `${kind}-${i}`, finding: { kind } }));

describe("healthSections", () => {
  const findings = [...rows("no-expiry", 3), ...rows("expired", 12), ...rows("no-policy", 8)];

  it("lists the kinds worst first and leaves out the kinds without findings", () => {
    expect(healthSections(findings).map((s) => s.kind)).toEqual([
      "expired",
      "no-policy",
      "no-expiry",
    ]);
    expect(HEALTH_KINDS[0]).toBe("expired");
  });

  it("cuts a long list and says how many are left out", () => {
    const [expired, noPolicy, noExpiry] = healthSections(findings);
    expect(expired).toMatchObject({ total: 12, hidden: 4, expanded: false });
    expect(expired?.rows.map((r) => r.name)).toEqual(rows("expired", 8).map((r) => r.name));
    expect(noPolicy).toMatchObject({ total: 8, hidden: 0, expanded: false });
    expect(noExpiry).toMatchObject({ total: 3, hidden: 0, expanded: false });
  });

  it("lists the kind asked for in full, and only that one", () => {
    const [expired] = healthSections(findings, "expired");
    expect(expired).toMatchObject({ total: 12, hidden: 0, expanded: true });
    expect(expired?.rows).toHaveLength(12);
    expect(healthSections(findings, "no-expiry", 2)).toMatchObject([
      { kind: "expired", hidden: 10, expanded: false },
      { kind: "no-policy", hidden: 6, expanded: false },
      { kind: "no-expiry", hidden: 0, expanded: true },
    ]);
  });

  it("does not offer to cut a short list shown in full", () => {
    expect(healthSections(findings, "no-expiry")[2]).toMatchObject({
      hidden: 0,
      expanded: false,
    });
  });

  it("reads the findings once, as they come, and keeps only the rows it shows", () => {
    let read = 0;
    function* counted() {
      for (const row of findings) {
        read += 1;
        yield row;
      }
    }
    const sections = healthSections(counted(), undefined, 2);
    expect(read).toBe(findings.length);
    expect(sections.map((s) => [s.kind, s.rows.length, s.total])).toEqual([
      ["expired", 2, 12],
      ["no-policy", 2, 8],
      ["no-expiry", 2, 3],
    ]);
  });
});
