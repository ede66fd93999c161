import fc from "fast-check";

/*
 * Just enough JSON Schema (as public/openapi.json writes the routes' zod schemas) to generate
 * inputs from it and to tell whether an input could pass. `conforms` is deliberately lenient:
 * it says "no" only for a constraint the document states, so that "does not conform" always
 * means the portal must refuse the input. Unknown keywords count as satisfied.
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
}

const typeOf = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : Number.isInteger(value)
        ? "integer"
        : typeof value;

function typeMatches(declared: string | string[] | undefined, value: unknown): boolean {
  if (declared === undefined) return true;
  const actual = typeOf(value);
  return [declared].flat().some((t) => t === actual || (t === "number" && actual === "integer"));
}

function regexOf(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return null;
  }
}

/** False only when `value` breaks a constraint the schema states. */
export function conforms(schema: JsonSchema, value: unknown): boolean {
  if (value === undefined) return true;
  if (schema.oneOf) return schema.oneOf.some((s) => conforms(s, value));
  if (schema.anyOf) return schema.anyOf.some((s) => conforms(s, value));
  if (!typeMatches(schema.type, value)) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  if ("const" in schema && schema.const !== value) return false;
  if (typeof value === "string") {
    // zod counts UTF-16 code units, as String#length does.
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
    if (schema.pattern && regexOf(schema.pattern)?.test(value) === false) return false;
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((v) => conforms(schema.items!, v))) return false;
  }
  if (typeOf(value) === "object" && (schema.properties || schema.required)) {
    const object = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    if ((schema.required ?? []).some((name) => object[name] === undefined)) return false;
    for (const [name, member] of Object.entries(object)) {
      const declared = properties[name];
      if (declared ? !conforms(declared, member) : schema.additionalProperties === false)
        return false;
    }
  }
  return true;
}

/** Values that are wrong for almost any field: other types, edge numbers, hostile strings. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "../../../etc/passwd",
    "..%2F..%2Fetc",
    "%00",
    "\u0000",
    "\uD800",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "NaN",
    "1e309",
    "-0",
    "\u202Eevil",
    "😀".repeat(300),
    "A".repeat(5000),
  ),
  fc.constantFrom(
    -1,
    0,
    2 ** 31,
    Number.MAX_SAFE_INTEGER + 2,
    -1e308,
    1.5,
    true,
    false,
    null,
    [],
    {},
  ),
);

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === "uuid") return fc.uuid();
  if (schema.format === "date")
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const regex = schema.pattern ? regexOf(schema.pattern) : null;
  if (regex) {
    // fast-check generates from plain patterns: try the pattern without its flag, then without
    // lookaheads, and keep only what the real pattern accepts.
    for (const source of [schema.pattern!, schema.pattern!.replace(/\(\?[=!][^)]*\)/g, "")]) {
      try {
        return fc.stringMatching(new RegExp(source)).filter((s) => regex.test(s));
      } catch {
        continue;
      }
    }
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.min(schema.maxLength ?? 40, minLength + 40) });
}

/** Inputs of the schema's shape whose values are drawn from what it allows. */
export function validShaped(schema: JsonSchema): fc.Arbitrary<unknown> {
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return fc.oneof(...branches.map(validShaped));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const type = [schema.type ?? "any"].flat()[0];
  switch (type) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({
        min: Math.max(schema.minimum ?? -1e6, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER),
      });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(schema.items ? validShaped(schema.items) : fc.anything(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3),
      });
    case "object": {
      const properties = schema.properties ?? {};
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validShaped(s)])),
        { requiredKeys: (schema.required ?? []).filter((k) => k in properties) },
      );
    }
    default:
      return fc.anything();
  }
}

/** A value just outside what a field allows: past a bound, off the enum, of another type. */
function nearMiss(schema: JsonSchema): fc.Arbitrary<unknown> {
  const misses: unknown[] = [];
  if (schema.minLength) misses.push("x".repeat(schema.minLength - 1));
  if (schema.maxLength !== undefined) misses.push("y".repeat(schema.maxLength + 1));
  if (schema.minimum !== undefined) misses.push(schema.minimum - 1);
  if (schema.maximum !== undefined) misses.push(schema.maximum + 1, schema.maximum * 1e6 + 0.5);
  if (schema.enum) misses.push(...schema.enum.map((v) => `${String(v).toUpperCase()} `));
  if (schema.pattern) misses.push("Not/A-Match!", "-a", "a--b");
  if (schema.minItems) misses.push([]);
  return misses.length > 0 ? fc.oneof(fc.constantFrom(...misses), junk) : junk;
}

/** An object of the schema's shape with one thing wrong: a member missing, wrong, or extra. */
export function corrupted(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return fc.oneof(nearMiss(schema), junk);
  return fc
    .tuple(
      validShaped(schema),
      fc.constantFrom(...names),
      fc.constantFrom("drop", "wrong", "extra"),
      fc.string({ maxLength: 12 }),
    )
    .chain(([value, name, how, extraName]) => {
      const object = { ...(value as Record<string, unknown>) };
      if (how === "drop") {
        delete object[name];
        return fc.constant(object);
      }
      if (how === "extra")
        return junk.map((v) => ({ ...object, [`${extraName}${names.length}`]: v }));
      return nearMiss(properties[name]!).map((v) => ({ ...object, [name]: v }));
    });
}
