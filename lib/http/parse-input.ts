import "server-only";

import type { z } from "zod";

import { AppError, type FieldError } from "@/lib/errors";

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** RFC 6901 JSON pointer, in the URI-fragment form RFC 9457's examples use. */
function toPointer(path: readonly PropertyKey[]): string {
  const tokens = path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1"));
  return `#/${tokens.join("/")}`;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: FieldError["in"],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldErrors = result.error.issues.map((issue) => ({
    in: location,
    pointer: toPointer(issue.path),
    detail: issue.message,
  }));
  const count = fieldErrors.length;
  throw new AppError(
    "validation_failed",
    `The request ${location} has ${count} invalid value${count === 1 ? "" : "s"}: ${fieldErrors
      .slice(0, 3)
      .map((e) => `${e.pointer.slice(2) || location} (${e.detail})`)
      .join("; ")}${count > 3 ? "; …" : ""}.`,
    { fieldErrors },
  );
}

/** Query parameters as an object: one value stays a string, a repeated name becomes an array. */
export function queryObject(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of searchParams) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/** Whether a request carries no body at all (no content type, no length): an empty POST. */
export function hasNoBody(request: Request): boolean {
  return (
    !request.headers.get("content-type") &&
    Number(request.headers.get("content-length") ?? "0") === 0
  );
}

/** A body that cannot be read as JSON: its field error points at the whole body (`#`). */
function wholeBodyError(detail: string): AppError {
  return new AppError("bad_request", detail, {
    fieldErrors: [{ in: "body", pointer: "#", detail }],
  });
}

/** Reads a JSON body, refusing other media types and bodies over `maxBytes` without buffering them. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json" && !mediaType?.endsWith("+json"))
    throw new AppError(
      "unsupported_media_type",
      `Send the request body as application/json (got ${mediaType ?? "no content type"}).`,
    );
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new AppError("payload_too_large", `The request body must not exceed ${maxBytes} bytes.`);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) throw wholeBodyError("The request needs a JSON body.");

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw wholeBodyError("The request needs a JSON body.");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Only the position: V8's message quotes the text around the error, which may be a secret
    // (an imported key's private member), and refusals are recorded in the audit log.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw wholeBodyError(
      `The request body is not valid JSON${position ? ` (at character ${position})` : ""}.`,
    );
  }
}
