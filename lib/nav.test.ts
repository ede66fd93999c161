import { describe, expect, it } from "vitest";

import { NAV_ITEMS, navFor } from "@/lib/nav";

const hrefs = (roles: string[]) => navFor(roles).map((item) => item.href);

describe("navFor", () => {
  // Home (app/(portal)/page.tsx) is the first section listed.
  it.each([
    [["Keyward.Auditor"], "/assurance"],
    [["Keyward.KeyAdmin"], "/overview"],
    [["Keyward.KeyAdmin", "Keyward.Auditor"], "/overview"],
    [["Keyward.Approver"], "/overview"],
    [["Keyward.Requester"], "/my-keys"],
    [["Keyward.Auditor", "Keyward.Approver"], "/assurance"],
    [["Keyward.Auditor", "Keyward.Requester"], "/assurance"],
    [[], undefined],
  ])("for %j starts at %s", (roles, home) => {
    expect(hrefs(roles)[0]).toBe(home);
  });

  it.each([
    [["Keyward.Auditor"], true],
    [["Keyward.KeyAdmin"], true],
    [["Keyward.Approver"], false],
    [["Keyward.Requester"], false],
  ])("for %j lists the assurance page: %s", (roles, listed) => {
    expect(hrefs(roles).includes("/assurance")).toBe(listed);
  });

  it("lists the key team's assurance page beside the audit log, in the table's order", () => {
    const keyAdmin = hrefs(["Keyward.KeyAdmin"]);
    expect(keyAdmin.indexOf("/assurance") + 1).toBe(keyAdmin.indexOf("/audit"));
    const order = NAV_ITEMS.map((item) => item.href);
    expect(keyAdmin).toEqual(order.filter((href) => keyAdmin.includes(href)));
  });

  it("moves only the home to the front: the auditor's other sections keep their order", () => {
    const [home, ...rest] = hrefs(["Keyward.Auditor"]);
    expect(home).toBe("/assurance");
    expect(rest).toEqual(NAV_ITEMS.map((item) => item.href).filter((href) => rest.includes(href)));
    expect(rest).not.toContain("/assurance");
  });
});
