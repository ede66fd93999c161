import { describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import {
  requesterRefusal,
  requestTemplateApprovals,
  templateApprovalsOf,
  type ItemSubject,
} from "@/lib/self-service/requester-rules";
import { keyTemplate } from "@/lib/templates/template";

const MINE = "3243182d-1727-4605-9abd-29ce37fe0480";
const THEIRS = "7f3c2a91-5e64-4b0d-9c8e-2a1f6d4b7e10";
const APP = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const NOW = Date.UTC(2026, 11, 4);
const DAY = 86_400_000;
const template = keyTemplate.parse({
  name: "signing",
  title: "Signing",
  purpose: "Signs tokens",
  kty: "EC",
  curve: "P-256",
  keyOps: ["sign", "verify"],
  rotationPolicy: { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }] },
  maxExpiry: "P1Y",
  namingRule: "sign-{nn}",
  hsms: ["keyward-weu"],
  approvals: 1,
  timeLimitedGrantApprovals: 0,
});

const ownKey = { name: "sign-01", owner: MINE, template };
const grant = (change: Record<string, unknown> = {}) => ({
  scope: "/keys/sign-01",
  roleDefinitionId: BUILT_IN_ROLES.cryptoUser,
  principalId: APP,
  ...change,
});
const subject = (item: Record<string, unknown>, extra: Partial<ItemSubject> = {}): ItemSubject => ({
  item: item as AnyItem,
  key: ownKey,
  fromTemplate: null,
  principalKind: "servicePrincipal",
  ...extra,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe("what a requester may ask for", () => {
  it.each<[string, RequestKind, ItemSubject, string | null]>([
    [
      "a key from a template for their group",
      "key.create",
      subject({ key: "sign-01", tags: { owner: MINE } }, { key: null, fromTemplate: template }),
      null,
    ],
    [
      "a key from a template for another group",
      "key.create",
      subject({ key: "sign-01", tags: { owner: THEIRS } }, { key: null, fromTemplate: template }),
      "forbidden:group",
    ],
    [
      "a key described in full",
      "key.create",
      subject({ key: "mine", kty: "RSA", tags: { owner: MINE } }, { key: null }),
      "forbidden:template",
    ],
    ["a rotation of their key", "key.rotate", subject({ key: "sign-01" }), null],
    [
      "a rotation of another group's key",
      "key.rotate",
      subject({ key: "sign-01" }, { key: { ...ownKey, owner: THEIRS } }),
      "not_found",
    ],
    [
      "a rotation of a key without owner",
      "key.rotate",
      subject({ key: "sign-01" }, { key: { ...ownKey, owner: null } }),
      "not_found",
    ],
    [
      "a rotation of a key that does not exist",
      "key.rotate",
      subject({ key: "nope" }, { key: null }),
      "not_found",
    ],
    [
      "a later expiry within the template",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW + 300 * DAY) }),
      null,
    ],
    [
      "an expiry beyond the template's maximum",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW + 400 * DAY) }),
      "validation_failed:expiresOn",
    ],
    [
      "an expiry in the past",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW - DAY) }),
      "validation_failed:expiresOn",
    ],
    [
      "no expiry at all",
      "key.update",
      subject({ key: "sign-01", expiresOn: null }),
      "validation_failed:expiresOn",
    ],
    [
      "disabling the key",
      "key.update",
      subject({ key: "sign-01", enabled: false }),
      "forbidden:enabled",
    ],
    [
      "an expiry and new tags",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW + DAY), tags: {} }),
      "forbidden:tags",
    ],
    [
      "a later expiry of a key made without a template",
      "key.update",
      subject(
        { key: "sign-01", expiresOn: iso(NOW + DAY) },
        { key: { ...ownKey, template: null } },
      ),
      "forbidden",
    ],
    [
      "Crypto User for their application on their key",
      "role-assignment.create",
      subject(grant()),
      null,
    ],
    [
      "Service Release User for their application",
      "role-assignment.create",
      subject(grant({ roleDefinitionId: BUILT_IN_ROLES.serviceReleaseUser })),
      null,
    ],
    [
      "access at / (every key)",
      "role-assignment.create",
      subject(grant({ scope: "/" }), { key: null }),
      "forbidden:scope",
    ],
    [
      "access at /keys",
      "role-assignment.create",
      subject(grant({ scope: "/keys" }), { key: null }),
      "forbidden:scope",
    ],
    [
      "the Administrator role",
      "role-assignment.create",
      subject(grant({ roleDefinitionId: BUILT_IN_ROLES.administrator })),
      "forbidden:roleDefinitionId",
    ],
    [
      "Crypto Officer",
      "role-assignment.create",
      subject(grant({ roleDefinitionId: BUILT_IN_ROLES.cryptoOfficer })),
      "forbidden:roleDefinitionId",
    ],
    [
      "access for a user",
      "role-assignment.create",
      subject(grant(), { principalKind: "user" }),
      "forbidden:principalId",
    ],
    [
      "access for a group",
      "role-assignment.create",
      subject(grant(), { principalKind: "group" }),
      "forbidden:principalId",
    ],
    [
      "access for an unknown principal",
      "role-assignment.create",
      subject(grant(), { principalKind: "unknown" }),
      "forbidden:principalId",
    ],
    [
      "access to another group's key",
      "role-assignment.create",
      subject(grant(), { key: { ...ownKey, owner: THEIRS } }),
      "not_found",
    ],
    ["deleting a key", "key.delete", subject({ key: "sign-01" }), "forbidden"],
    ["a custom role", "role-definition.upsert", subject({ roleName: "x" }), "forbidden"],
    ["a template", "template.upsert", subject({}), "forbidden"],
  ])("%s", (_, kind, item, expected) => {
    const refusal = requesterRefusal(kind, "keyward-weu", item, new Set([MINE]), NOW);
    const found = refusal ? `${refusal.code}${refusal.member ? `:${refusal.member}` : ""}` : null;
    expect(found).toBe(expected);
  });

  it("says the rule in words", () => {
    const refusal = requesterRefusal(
      "key.update",
      "keyward-weu",
      subject({ key: "sign-01", expiresOn: iso(NOW + 400 * DAY) }),
      new Set([MINE]),
      NOW,
    );
    expect(refusal?.reason).toBe("the template signing lets a key live at most 1 year from today.");
  });
});

describe("approvals from a key's template", () => {
  it.each<[string, RequestKind, ItemSubject, number | null]>([
    ["a key made from it", "key.create", subject({}, { key: null, fromTemplate: template }), 1],
    ["a key described in full", "key.create", subject({}, { key: null }), null],
    ["rotating its key", "key.rotate", subject({ key: "sign-01" }), 1],
    [
      "rotating a key from no template",
      "key.rotate",
      subject({ key: "sign-01" }, { key: { ...ownKey, template: null } }),
      null,
    ],
    [
      "a later expiry within it",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW + DAY) }),
      1,
    ],
    [
      "a later expiry beyond it",
      "key.update",
      subject({ key: "sign-01", expiresOn: iso(NOW + 400 * DAY) }),
      null,
    ],
    ["disabling its key", "key.update", subject({ key: "sign-01", enabled: false }), null],
    ["a permanent grant", "role-assignment.create", subject(grant()), 1],
    ["a time-limited grant", "role-assignment.create", subject(grant({ expiresAfter: "PT1H" })), 0],
    [
      "a grant of Crypto Officer",
      "role-assignment.create",
      subject(grant({ roleDefinitionId: BUILT_IN_ROLES.cryptoOfficer })),
      null,
    ],
    [
      "a grant to a user",
      "role-assignment.create",
      subject(grant(), { principalKind: "user" }),
      null,
    ],
    ["deleting its key", "key.delete", subject({ key: "sign-01" }), null],
  ])("%s", (_, kind, item, expected) => {
    expect(templateApprovalsOf(kind, item, NOW)).toBe(expected);
  });

  it("a request needs the most any item needs, and the policy's when one item is outside", () => {
    const timeLimited = subject(grant({ expiresAfter: "PT1H" }));
    const permanent = subject(grant());
    expect(requestTemplateApprovals("role-assignment.create", [timeLimited], NOW)).toBe(0);
    expect(requestTemplateApprovals("role-assignment.create", [timeLimited, permanent], NOW)).toBe(
      1,
    );
    expect(
      requestTemplateApprovals(
        "role-assignment.create",
        [timeLimited, subject(grant(), { principalKind: "user" })],
        NOW,
      ),
    ).toBeNull();
  });
});
