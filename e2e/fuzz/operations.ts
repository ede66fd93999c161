import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";

import { conforms, corrupted, junk, validShaped, type JsonSchema } from "@/e2e/fuzz/json-schema";

/*
 * The operations of the API's contract (public/openapi.json) and, for each, generated requests:
 * path parameters, query strings and bodies drawn from its schemas, shaped right but wrong, or
 * junk. The document is generated from the route declarations, so a new route is fuzzed as soon
 * as `npm run openapi` lists it.
 */

export interface Operation {
  method: string;
  /** The document's path, `/api/requests/{id}/approve`. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
  body: JsonSchema | undefined;
  /** Changes something when it succeeds (its answers are audited). */
  audited: boolean;
}

export type Body =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string; contentType: string };

export interface FuzzCase {
  segments: Record<string, string>;
  query: [string, string][];
  body: Body;
  /** Which Origin a mutation carries: the portal's (reaches the route), another, or none. */
  origin: "same" | "foreign" | "none";
}

const DOCUMENT = path.join(import.meta.dirname, "..", "..", "public", "openapi.json");

/** Real names next to generated ones, so that some cases reach past "not found". */
const KNOWN: Record<string, string[]> = {
  hsm: ["keyward-weu", "keyward-neu"],
  name: ["payments-signing-prod-01", "storage-cmk"],
  key: ["payments-signing-prod-01"],
  ruleId: ["several-roles", "admin-individual", "administrator-count"],
};

export function readOperations(): Operation[] {
  const document = JSON.parse(fs.readFileSync(DOCUMENT, "utf8")) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const resolve = (schema: unknown): JsonSchema => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    return ref ? document.components.schemas[ref.split("/").pop()!]! : (schema as JsonSchema);
  };
  const operations: Operation[] = [];
  for (const [route, methods] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation.responses) continue;
      const parameters = (operation.parameters ?? []) as {
        name: string;
        in: string;
        schema: JsonSchema;
      }[];
      const content = (operation.requestBody as { content?: Record<string, { schema: unknown }> })
        ?.content?.["application/json"];
      operations.push({
        method: method.toUpperCase(),
        path: route,
        pathParams: parameters.filter((p) => p.in === "path"),
        queryParams: parameters.filter((p) => p.in === "query"),
        body: content ? resolve(content.schema) : undefined,
        audited: typeof operation["x-keyward-audit-action"] === "string",
      });
    }
  return operations;
}

/** A lone surrogate cannot be percent-encoded: it is sent as U+FFFD, as a browser would. */
const wellFormed = (value: string) =>
  value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );

const encodeSegment = (value: string) => encodeURIComponent(wellFormed(value));

/** A generated value as text in an address (JSON for anything but a string). */
const asText = (value: unknown) =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");

/** Dot segments are resolved by the client, so the request would reach another route. */
const isDotSegment = (segment: string) => /^(\.|%2e){1,2}$/i.test(segment);

function segmentArbitrary(name: string, schema: JsonSchema, mutation: boolean) {
  const raw = fc.oneof(
    { weight: 3, arbitrary: validShaped(schema).map(asText) },
    { weight: 1, arbitrary: fc.constantFrom(...(KNOWN[name] ?? ["x"])) },
    { weight: 3, arbitrary: junk.map(asText) },
  );
  const encoded = fc.oneof(
    { weight: 9, arbitrary: raw.map((v) => (v === "" ? "%20" : encodeSegment(v))) },
    // Sent as they are: escapes that are not UTF-8, or not escapes at all.
    {
      weight: 1,
      arbitrary: fc.constantFrom("%", "%zz", "%C3%28", "%E0%A4", "%FF", "a%2", "%C0%AF"),
    },
  );
  return mutation ? encoded.filter((s) => !isDotSegment(s)) : encoded;
}

function queryArbitrary(operation: Operation): fc.Arbitrary<[string, string][]> {
  const names = operation.queryParams.map((p) => p.name);
  const value = (schema: JsonSchema) => fc.oneof(validShaped(schema), junk).map(asText);
  const pair = fc.oneof(
    ...operation.queryParams.map((p) => value(p.schema).map((v): [string, string] => [p.name, v])),
    fc.tuple(fc.constantFrom(...names, "__proto__", "x", "constructor"), fc.string()),
  );
  // Repeated names become arrays; a name outside the document should be ignored or refused.
  return fc.array(pair, { maxLength: 6 });
}

function bodyArbitrary(schema: JsonSchema | undefined): fc.Arbitrary<Body> {
  const json = (value: unknown): Body => ({ kind: "json", value });
  const shaped = schema ?? { type: "object" };
  return fc.oneof(
    { weight: 2, arbitrary: validShaped(shaped).map(json) },
    { weight: 5, arbitrary: corrupted(shaped).map(json) },
    { weight: 3, arbitrary: junk.map(json) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom("{", '{"a":', "[1,]", "\u0000", "", "  ", "{}".repeat(3)),
          fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
        )
        .map(([text, contentType]): Body => ({ kind: "raw", text, contentType })),
    },
    {
      weight: 1,
      // Past the 256 KiB limit of lib/http/parse-input.ts.
      arbitrary: fc.constant<Body>({ kind: "json", value: { pad: "z".repeat(300_000) } }),
    },
  );
}

/**
 * Whether a case could change something if the caller may: a mutation whose target is not an
 * id the test makes up, with every part as the document allows. Such cases are never sent.
 */
export function couldSucceed(operation: Operation, fuzz: FuzzCase, signedIn: boolean): boolean {
  // Without a session nothing can change (sign-out has nothing to end).
  if (operation.method === "GET" || !signedIn) return false;
  // A made-up id names nothing (v4 UUIDs do not collide): the answer is 404 whatever the body.
  if (operation.pathParams.some((p) => p.schema.format === "uuid")) return false;
  if (fuzz.origin !== "same") return false;
  const paramsConform = operation.pathParams.every((p) => {
    const segment = fuzz.segments[p.name]!;
    try {
      return conforms(p.schema, decodeURIComponent(segment));
    } catch {
      return true;
    }
  });
  const body = fuzz.body;
  const bodyConforms =
    operation.body === undefined ||
    body.kind === "none" ||
    (body.kind === "json" && conforms(operation.body, body.value));
  return paramsConform && bodyConforms;
}

export function caseArbitrary(operation: Operation, signedIn: boolean): fc.Arbitrary<FuzzCase> {
  const mutation = operation.method !== "GET";
  const segments = fc.record(
    Object.fromEntries(
      operation.pathParams.map((p) => [p.name, segmentArbitrary(p.name, p.schema, mutation)]),
    ),
  );
  // Signing out would end the session the rest of the run needs: a signed-in caller only ever
  // sends it from another origin, which is refused before anything happens.
  const origin =
    signedIn && operation.path === "/api/auth/sign-out"
      ? fc.constantFrom("foreign" as const, "none" as const)
      : fc.constantFrom("same" as const, "same" as const, "same" as const, "foreign" as const);
  return fc
    .record({
      segments,
      query: queryArbitrary(operation),
      body: mutation ? bodyArbitrary(operation.body) : fc.constant<Body>({ kind: "none" }),
      origin: mutation ? origin : fc.constant("same" as const),
    })
    .filter((fuzz) => !couldSucceed(operation, fuzz, signedIn));
}

/** The concrete address of a case: its segments in the document's path, and its query. */
export function urlOf(operation: Operation, fuzz: FuzzCase): string {
  const pathname = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => fuzz.segments[name]!);
  const search = new URLSearchParams(fuzz.query.map(([k, v]) => [k, wellFormed(v)]));
  return fuzz.query.length > 0 ? `${pathname}?${search.toString()}` : pathname;
}
