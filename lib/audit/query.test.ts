import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditPageShape } from "@/lib/audit/api-shapes";
import { apiEvent } from "@/lib/audit/export";
import { actionsMatching, timeRange, type AuditFilters } from "@/lib/audit/filters";
import {
  auditEventsMatching,
  findAuditPage,
  knownActions,
  type ReadingOptions,
} from "@/lib/audit/query";
import { appendAuditEvent } from "@/lib/audit/record";
import type { AuditEvent, AuditEventInput } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

/*
 * The audit log's reader against real databases: every filter is checked against the same
 * filter applied in JavaScript to the events as written (the oracle), and keyset paging in both
 * directions must visit every matching event exactly once.
 */

const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const CHANGE_REQUEST = "6f1c2b7e-0d4a-4c55-9b1e-2a9f3c8d7e10";
const ACTORS = [
  { type: "user", id: "0c7e4c2a-1b9d-4f43-9f0f-5b4a1f0d2c11", name: "Kim Keyadmin" },
  { type: "user", id: "8d2f1e3a-5b6c-4d7e-8f90-1a2b3c4d5e6f", name: "Aude Auditor" },
  { type: "system", id: "system", name: "inventory sync" },
  { type: "anonymous", id: "anonymous", name: "not signed in" },
] as const;
const ACTIONS = [
  "sod.rule.update",
  "sod.what-if",
  "calendar.feed.create",
  "session.end",
  "sod.rules.reset",
];
const OUTCOMES = ["succeeded", "failed", "denied"] as const;

function inputs(): AuditEventInput[] {
  const events: AuditEventInput[] = [];
  for (let i = 0; i < 240; i += 1)
    events.push({
      at: T0 + i * HOUR,
      actor: ACTORS[i % ACTORS.length]!,
      action: ACTIONS[i % ACTIONS.length]!,
      target:
        i % 3 === 0 ? { rule: `rule-${i % 7}` } : { hsm: "keyward-weu", key: `key-${i % 11}` },
      outcome: OUTCOMES[i % 7 === 0 ? 2 : i % 5 === 0 ? 1 : 0],
      detail: { n: i },
      requestId: `req-${i}`,
    });
  // Events that search and escaping must tell apart.
  events.push({
    ...events[0]!,
    action: "request.approve",
    target: { request: CHANGE_REQUEST },
    detail: { note: "50%_off" },
  });
  events.push({ ...events[1]!, detail: { note: "50XXoff and 50%Xoff" }, requestId: null });
  events.push({ ...events[2]!, detail: { note: "Mixed CASE Ünïcode" } });
  // A name that holds another actor's id: the exact id must not select it.
  events.push({
    ...events[3]!,
    actor: { type: "application", id: "app-1", name: "Keyward as system" },
  });
  return events;
}

const contains = (text: string | null, part: string) =>
  (text ?? "").toLowerCase().includes(part.toLowerCase());

/** The filter in JavaScript, over the events as written. */
function oracle(events: AuditEvent[], filters: AuditFilters, actions: string[]): number[] {
  const { from, to } = timeRange(filters);
  const selected = filters.action ? actionsMatching(filters.action, actions) : null;
  return events
    .filter(
      (e) =>
        !filters.actor ||
        (events.some((known) => known.actor.id === filters.actor)
          ? e.actor.id === filters.actor
          : contains(JSON.stringify(e.actor), filters.actor)),
    )
    .filter((e) => !selected || selected.includes(e.action))
    .filter((e) => !filters.target || contains(JSON.stringify(e.target), filters.target))
    .filter((e) => !filters.outcome || e.outcome === filters.outcome)
    .filter((e) => from === undefined || e.at >= from)
    .filter((e) => to === undefined || e.at < to)
    .filter(
      (e) =>
        !filters.q ||
        [
          JSON.stringify(e.actor),
          e.action,
          JSON.stringify(e.target),
          JSON.stringify(e.detail),
          e.requestId,
        ].some((text) => contains(text, filters.q!)),
    )
    .map((e) => e.seq)
    .sort((a, b) => b - a);
}

/** Every page from the newest, following `next`. */
async function pageAll(db: Db, filters: AuditFilters, limit: number, reading: ReadingOptions = {}) {
  const pages: number[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await findAuditPage(db, { ...filters, before, limit }, reading);
    pages.push(page.events.map((e) => e.seq));
    if (page.next === null) return pages;
    before = Number(page.next);
  }
}

describe.each(availableDialects())("the audit log reader on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let events: AuditEvent[];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    events = await db.transaction().execute(async (trx) => {
      const written: AuditEvent[] = [];
      for (const input of inputs()) written.push(await appendAuditEvent(trx, input));
      return written;
    });
  }, 60_000);
  afterAll(() => database.dispose());

  it("knows every action through the index", async () => {
    expect(await knownActions(db)).toEqual([...new Set(events.map((e) => e.action))].sort());
  });

  it.each<[string, AuditFilters]>([
    ["no filter", {}],
    ["an actor id", { actor: ACTORS[1].id }],
    ["an actor id another actor's name contains", { actor: "system" }],
    ["part of an actor id", { actor: "0C7E4C2A" }],
    ["part of an actor's name, any case", { actor: "kim KEY" }],
    ["an action", { action: "sod.rule.update" }],
    ["an action prefix with a dot", { action: "sod." }],
    ["an action prefix without one", { action: "sod.rule" }],
    ["an unknown action", { action: "backup." }],
    ["a target", { target: "key-1" }],
    ["an outcome", { outcome: "denied" }],
    ["a day", { from: "2026-11-03", to: "2026-11-03" }],
    ["a time range", { from: "2026-11-02T06:30Z", to: "2026-11-04T12:00" }],
    ["a change request's id", { q: CHANGE_REQUEST }],
    ["a request id", { q: "REQ-17" }],
    ["a literal % and _", { q: "50%_off" }],
    ["a literal %", { q: "50%X" }],
    ["text in any case", { q: "mixed case" }],
    [
      "filters together",
      { actor: "Kim", action: "sod.", outcome: "succeeded", from: "2026-11-02" },
    ],
  ])("filters by %s", async (name, filters) => {
    const expected = oracle(events, filters, await knownActions(db));
    expect(expected.length > 0, "the case selects some events").toBe(name !== "an unknown action");
    const found: number[] = [];
    for await (const event of auditEventsMatching(db, filters, 9)) found.push(event.seq);
    expect(found).toEqual(expected);
    expect((await pageAll(db, filters, 13)).flat()).toEqual(expected);
    // A text filter reads a window next to the cursor directly, then the substring index:
    // with a window of a few events, every page crosses from one to the other.
    const crossing = { directWindow: 7 };
    expect((await pageAll(db, filters, 13, crossing)).flat()).toEqual(expected);
    const exported: number[] = [];
    for await (const event of auditEventsMatching(db, filters, 9, crossing))
      exported.push(event.seq);
    expect(exported).toEqual(expected);
  });

  it("pages a text filter back to the newest across the direct window", async () => {
    const filters: AuditFilters = { q: "req-" };
    const crossing = { directWindow: 5 };
    const pages = await pageAll(db, filters, 4, crossing);
    expect(pages.flat()).toEqual(oracle(events, filters, []));
    let page = await findAuditPage(
      db,
      { ...filters, before: pages.at(-2)!.at(-1)!, limit: 4 },
      crossing,
    );
    const back: number[][] = [page.events.map((e) => e.seq)];
    while (page.newer !== null) {
      page = await findAuditPage(db, { ...filters, after: Number(page.newer), limit: 4 }, crossing);
      back.unshift(page.events.map((e) => e.seq));
    }
    expect(back.flat()).toEqual(pages.flat());
  });

  it("answers in the shape the OpenAPI document publishes", async () => {
    const page = await findAuditPage(db, { limit: 20 });
    const answer = { events: page.events.map(apiEvent), next: page.next, newer: page.newer };
    expect(auditPageShape.parse(answer)).toEqual(answer);
  });

  it("finds a change request's id, and the literal pattern characters only", async () => {
    const byRequest = await findAuditPage(db, { q: CHANGE_REQUEST });
    expect(byRequest.events.map((e) => e.action)).toEqual(["request.approve"]);
    const literal = await findAuditPage(db, { q: "50%_off" });
    expect(literal.events.map((e) => e.detail)).toEqual([{ note: "50%_off" }]);
  });

  it("pages newest first with no duplicates or misses, and back again", async () => {
    const filters: AuditFilters = { outcome: "succeeded" };
    const pages = await pageAll(db, filters, 10);
    const all = pages.flat();
    expect(all).toEqual(oracle(events, filters, []));
    expect(new Set(all).size).toBe(all.length);
    expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);

    // From the oldest page back to the newest through the `newer` cursors.
    let page = await findAuditPage(db, { ...filters, before: pages.at(-2)!.at(-1)!, limit: 10 });
    expect(page.events.map((e) => e.seq)).toEqual(pages.at(-1));
    const back: number[][] = [page.events.map((e) => e.seq)];
    while (page.newer !== null) {
      page = await findAuditPage(db, { ...filters, after: Number(page.newer), limit: 10 });
      back.unshift(page.events.map((e) => e.seq));
    }
    expect(back.flat()).toEqual(all);
    expect(back[0]).toEqual(pages[0]);
    expect(page.next).not.toBeNull();
  });

  it("says there is nothing newer on the newest page and nothing older on the oldest", async () => {
    const first = await findAuditPage(db, { limit: 5 });
    expect(first.newer).toBeNull();
    expect(first.next).toBe(String(first.events.at(-1)!.seq));
    const second = await findAuditPage(db, { before: Number(first.next), limit: 5 });
    expect(second.newer).toBe(String(second.events[0]!.seq));
    const last = await findAuditPage(db, { before: 4, limit: 5 });
    expect(last.events.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(last.next).toBeNull();
    expect(await findAuditPage(db, { q: "no such text anywhere" })).toEqual({
      events: [],
      next: null,
      newer: null,
    });
  });

  it("returns the events exactly as written", async () => {
    const page = await findAuditPage(db, { before: 2, limit: 1 });
    expect(page.events).toEqual([events[0]]);
  });
});
