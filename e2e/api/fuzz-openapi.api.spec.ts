import { createHash, randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import fc from "fast-check";

import { account, ACCOUNTS, type AccountName } from "@/e2e/fixtures/accounts";
import { PROBLEM_CONTENT_TYPE, shown } from "@/e2e/fixtures/http";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";
import {
  caseArbitrary,
  readOperations,
  urlOf,
  type FuzzCase,
  type Operation,
} from "@/e2e/fuzz/operations";
import {
  auditSince,
  differences,
  hsmActivity,
  snapshotHsms,
  snapshotPortal,
} from "@/e2e/fuzz/state-snapshot";

/*
 * Every operation of the API's contract (public/openapi.json), as every signed-in account and
 * anonymously, under generated bad input (fast-check): path parameters, query strings and
 * bodies drawn from the operation's schemas, shaped right but wrong, or junk. Whatever arrives,
 * the answer is never a 5xx, a refusal is problem+json with a detail, a validation failure
 * points at the member it refuses, and nothing changes: every refused change is recorded as
 * `denied` or `failed`, and the portal's records and the HSMs' keys and roles are as before.
 *
 * No case that could succeed is sent: a change either names an id the test makes up (no such
 * request, review, feed or session), or breaks a constraint of its schema (`couldSucceed`).
 * FUZZ_RUNS (cases per operation and caller) and FUZZ_SEED widen or replay a run.
 */

// Knobs of this suite alone, for a person running it by hand; the portal never reads them (and
// lib/env.ts refuses unknown KEYWARD_* names, so they carry no prefix).
// eslint-disable-next-line no-restricted-syntax
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
// eslint-disable-next-line no-restricted-syntax
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_118);
/** Cases first sent to learn whether the caller gets past the access check at all. */
const PROBE = Math.min(3, RUNS);
const CALLERS = ["anonymous", ...(Object.keys(ACCOUNTS) as AccountName[])] as const;
type Caller = (typeof CALLERS)[number];

const seedOf = (...parts: string[]) =>
  SEED ^ createHash("sha256").update(parts.join(" ")).digest().readInt32LE(0);

interface Tally {
  cases: number;
  serverErrors: number;
  /** Cookie-carrying changes sent to audited operations: each is recorded once at most. */
  auditedSent: number;
  statuses: Map<number, number>;
  /** 400s for a path with malformed percent-encoding, refused before routing. */
  malformedPaths: number;
}

const MALFORMED_PATH = "The path has malformed percent-encoding";

/** What every answer to bad input must be; throws the first broken rule. */
async function checkAnswer(response: APIResponse, what: string, tally: Tally) {
  const status = response.status();
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
  if (status >= 500) {
    tally.serverErrors += 1;
    throw new Error(`${status} for ${what}: ${(await response.text()).slice(0, 300)}`);
  }
  if (status < 400) return;
  const contentType = response.headers()["content-type"];
  if (contentType !== PROBLEM_CONTENT_TYPE)
    throw new Error(`${status} as ${contentType ?? "no content type"} for ${what}`);
  const problem = (await response.json()) as {
    detail?: unknown;
    errors?: { in?: unknown; pointer?: unknown }[];
  };
  if (typeof problem.detail !== "string" || problem.detail === "")
    throw new Error(`${status} without a detail for ${what}`);
  // proxy.ts refuses these before any route, pointing at the whole path (`#`).
  if (status === 400 && String(problem.detail).startsWith(MALFORMED_PATH))
    tally.malformedPaths += 1;
  if (status === 400 || status === 422) {
    const errors = problem.errors ?? [];
    const pointed = errors.every(
      (e) =>
        ["params", "query", "body"].includes(String(e.in)) &&
        typeof e.pointer === "string" &&
        e.pointer.startsWith("#"),
    );
    if (errors.length === 0 || !pointed)
      throw new Error(`${status} without field errors and pointers for ${what}: ${problem.detail}`);
  }
}

async function send(
  context: APIRequestContext,
  operation: Operation,
  fuzz: FuzzCase,
  headers: { origin: string; requestId: string },
) {
  const { body } = fuzz;
  return context.fetch(urlOf(operation, fuzz), {
    method: operation.method,
    maxRedirects: 0,
    timeout: 20_000,
    headers: {
      "x-request-id": headers.requestId,
      ...(fuzz.origin === "same" ? { origin: headers.origin } : {}),
      ...(fuzz.origin === "foreign" ? { origin: "https://attacker.example" } : {}),
      ...(body.kind === "json" ? { "content-type": "application/json" } : {}),
      ...(body.kind === "raw" ? { "content-type": body.contentType } : {}),
    },
    ...(body.kind === "json" && body.value !== undefined
      ? { data: JSON.stringify(body.value) }
      : {}),
    ...(body.kind === "raw" ? { data: body.text } : {}),
  });
}

test("every operation of the API contract refuses generated bad input clearly and changes nothing", async ({
  playwright,
  stack,
}) => {
  test.setTimeout(120_000 + RUNS * 12_000);
  const operations = readOperations();
  expect(operations.length, "operations in public/openapi.json").toBeGreaterThan(40);
  const origin = new URL(stack.portal.url).origin;
  // Sent as x-request-id with every case: the portal logs it beside its own id and must never
  // record it as the request id of an audit event (lib/request-id.ts).
  const tag = `fuzz.${SEED}.${randomUUID().slice(0, 8)}.`;
  // Sessions of the test's own, so that its changes count against no other spec's session.
  const contexts = new Map<Caller, APIRequestContext>();
  for (const caller of CALLERS) {
    const context = await playwright.request.newContext({ baseURL: stack.portal.url });
    if (caller !== "anonymous") {
      await signInThroughApi(context, account(stack, caller));
      // The newcomer holds no portal role: signed in, it is refused (403), not asked to sign in.
      expect((await context.get("/api/me")).status(), `${caller} signed in`).not.toBe(401);
    }
    contexts.set(caller, context);
  }
  const { headSeq } = await auditSince(stack, new Set(), tag, Number.MAX_SAFE_INTEGER);
  // The ids the portal answered with: its own, never the one each case sends.
  const answeredIds = new Set<string>();
  const { heads } = await hsmActivity(stack);
  const portalBefore = await snapshotPortal(stack);
  const hsmsBefore = await snapshotHsms(stack);

  const tally: Tally = {
    cases: 0,
    serverErrors: 0,
    auditedSent: 0,
    statuses: new Map(),
    malformedPaths: 0,
  };
  const failures: string[] = [];
  for (const operation of operations)
    for (const caller of CALLERS) {
      const context = contexts.get(caller)!;
      const signedIn = caller !== "anonymous";
      let passedAccess = false;
      const property = fc.asyncProperty(caseArbitrary(operation, signedIn), async (fuzz) => {
        tally.cases += 1;
        if (signedIn && operation.audited) tally.auditedSent += 1;
        const requestId = `${tag}${tally.cases}`;
        const response = await send(context, operation, fuzz, { origin, requestId });
        answeredIds.add(response.headers()["x-request-id"] ?? "");
        if (![401, 403].includes(response.status())) passedAccess = true;
        const what = `${operation.method} ${urlOf(operation, fuzz).slice(0, 200)} as ${caller} (origin ${fuzz.origin}, body ${shown(fuzz.body)})`;
        await checkAnswer(response, what, tally);
      });
      const seed = seedOf(operation.method, operation.path, caller);
      try {
        await fc.assert(property, { seed, numRuns: PROBE });
        // A caller refused by the access check never reaches the input: a probe is enough.
        if (passedAccess && RUNS > PROBE)
          await fc.assert(property, { seed: seed + 1, numRuns: RUNS - PROBE });
      } catch (error) {
        // fast-check keeps the error a case threw as the cause, out of its own message.
        const cause =
          error instanceof Error && error.cause instanceof Error
            ? `\nCause: ${error.cause.stack ?? error.cause.message}`
            : "";
        failures.push(
          `${operation.method} ${operation.path} as ${caller}: ${String(error)}${cause}`,
        );
      }
    }
  for (const context of contexts.values()) await context.dispose();

  // Nothing was changed: each refused change is recorded as refused, and nothing else moved.
  const audit = await auditSince(stack, answeredIds, tag, headSeq);
  const activity = await hsmActivity(stack, heads);
  const changed = [
    ...differences(portalBefore, await snapshotPortal(stack)),
    ...differences(hsmsBefore, await snapshotHsms(stack)),
  ];
  const concurrent = audit.othersSucceeded.length + activity.toolChanges.length;
  const compared =
    concurrent === 0
      ? "records and HSMs compared"
      : `records and HSMs not compared (${concurrent} changes by other specs meanwhile)`;
  const summary = `${operations.length} operations × ${CALLERS.length} callers, ${tally.cases} cases (seed ${SEED}, ${RUNS} runs), ${tally.serverErrors} 5xx, ${audit.tagged.length} refusals audited of ${tally.auditedSent} changes sent, statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}, ${tally.malformedPaths} malformed paths refused, ${compared}, differences: ${changed.join("; ") || "none"}; others: ${JSON.stringify(audit.othersSucceeded.slice(0, 10))} ${activity.toolChanges.slice(0, 10).join(", ")}`;
  test.info().annotations.push({ type: "fuzz", description: summary });
  process.stdout.write(`[fuzz] ${summary}\n`);

  expect(failures, "operations that broke a rule (with fast-check's smallest case)").toEqual([]);
  expect(
    audit.tagged.filter((e) => !["denied", "failed"].includes(e.outcome)),
    "changes that succeeded",
  ).toEqual([]);
  expect(audit.tagged.length, "refused changes recorded in the audit log").toBeGreaterThan(0);
  expect(audit.tagged.length).toBeLessThanOrEqual(tally.auditedSent);
  expect(audit.underClientIds, "events recorded under an id the client chose").toEqual([]);
  // Run on its own (npm run test:fuzz) or after every other spec (its Playwright project), only
  // the portal's own jobs may change things meanwhile: the records and the HSMs are compared
  // only when nobody else recorded a change or acted on an HSM.
  if (concurrent === 0) expect(changed, "records or HSM state changed by the fuzzing").toEqual([]);
  else
    test.info().annotations.push({
      type: "fuzz state",
      description: `${concurrent} changes by other specs meanwhile; differences: ${changed.join("; ") || "none"}`,
    });
});
