import { describe, expect, it } from "vitest";

import {
  describeAction,
  effectiveActions,
  grantsEverything,
  summariseActions,
  wildcardMatches,
} from "@/lib/access/actions";

const P = "Microsoft.KeyVault/managedHsm/";

describe("effectiveActions", () => {
  it.each([
    {
      name: "plain list",
      data: [`${P}keys/sign/action`],
      not: [],
      has: ["keys/sign/action"],
      lacks: ["keys/verify/action"],
    },
    {
      name: "case is ignored",
      data: [`${P}Keys/Sign/Action`],
      not: [],
      has: ["keys/sign/action"],
      lacks: [],
    },
    {
      name: "keys wildcard",
      data: [`${P}keys/*`],
      not: [],
      has: ["keys/create", "keys/deletedKeys/delete"],
      lacks: ["backup/start/action"],
    },
    {
      name: "wildcard minus not-data actions",
      data: [`${P}keys/*`],
      not: [`${P}keys/deletedKeys/*`],
      has: ["keys/sign/action"],
      lacks: ["keys/deletedKeys/recover/action"],
    },
    {
      name: "an unknown action is kept",
      data: [`${P}keys/attest/action`],
      not: [],
      has: ["keys/attest/action"],
      lacks: [],
    },
  ])("$name", ({ data, not, has, lacks }) => {
    const actions = effectiveActions(data, not);
    for (const action of has) expect(actions.has(action)).toBe(true);
    for (const action of lacks) expect(actions.has(action)).toBe(false);
  });

  it("a bare * grants everything", () => {
    expect(grantsEverything(effectiveActions(["*"], []))).toBe(true);
    expect(grantsEverything(effectiveActions([`${P}keys/*`], []))).toBe(false);
  });
});

describe("plain words", () => {
  it.each([
    [`${P}keys/deletedKeys/delete`, "Purge deleted keys"],
    ["keys/wrap/action", "Wrap keys"],
    ["something/else", "something/else"],
  ])("%s", (action, words) => expect(describeAction(action)).toBe(words));

  it.each([
    [["keys/read/action"], ["read only"]],
    [
      ["keys/sign/action", "keys/create"],
      ["use keys", "change keys"],
    ],
    [
      ["backup/start/action", "restore/start/action"],
      ["back up the HSM", "restore the HSM"],
    ],
  ])("%j → %j", (actions, summary) => expect(summariseActions(new Set(actions))).toEqual(summary));
});

describe("wildcardMatches", () => {
  it.each([
    ["keys/*", "keys/read/action", true],
    ["KEYS/*/action", "keys/read/action", true],
    ["*", "anything", true],
    ["keys/*/action", "keys/read", false],
    ["keys/read/action", "keys/read/action", true],
    ["keys/read/action", "keys/read/actions", false],
    ["*/deletedKeys/*", "keys/deletedKeys/delete", true],
    ["k*s/*e*/a*n", "keys/release/action", true],
    ["keys/**", "keys/", true],
    ["", "", true],
    ["", "x", false],
  ])("%s against %s is %s", (wildcard, text, expected) => {
    expect(wildcardMatches(wildcard, text)).toBe(expected);
  });

  it("answers at once for a pattern of many stars that matches nothing", () => {
    // As a regular expression (.* per star) this pattern backtracks for minutes.
    const wildcard = `${"*a".repeat(40)}!`;
    expect(wildcardMatches(wildcard, "a".repeat(60))).toBe(false);
  });
});
