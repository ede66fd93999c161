import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { isOutcomeUnknown, ReadBackError, toAppError } from "@/lib/hsm/errors";

/* Every way an HSM call fails, and what the portal then says. */

const rest = (status: number, message: string, code?: string) =>
  new RestError(message, { statusCode: status, code });
const network = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe("toAppError", () => {
  it.each([
    [
      "a 403 naming the data action",
      rest(
        403,
        "Caller is not authorized to perform action on resource.\nCaller: oid=x\nAction: 'Microsoft.KeyVault/managedHsm/keys/read/action'",
      ),
      "forbidden",
      "HSM weu refused to list keys: the portal's identity lacks the data action Microsoft.KeyVault/managedHsm/keys/read/action.",
    ],
    [
      "a 403 without one",
      rest(403, "Forbidden"),
      "forbidden",
      "HSM weu refused to list keys: the portal's identity lacks a role for it.",
    ],
    [
      "a 401",
      rest(401, "Unauthorized"),
      "upstream_failed",
      "HSM weu refused the portal's token while trying to list keys.",
    ],
    [
      "a 404",
      rest(404, "A key with (name/id) k was not found in this key vault."),
      "not_found",
      "HSM weu: A key with (name/id) k was not found in this key vault.",
    ],
    [
      "a 409",
      rest(409, "Conflict: the key is being deleted."),
      "conflict",
      "HSM weu could not list keys: Conflict: the key is being deleted.",
    ],
    [
      "a 429",
      rest(429, "Throttled"),
      "rate_limited",
      "HSM weu is throttling requests; try again shortly.",
    ],
    [
      "a 503",
      rest(503, "Unavailable"),
      "unavailable",
      "HSM weu is unavailable (HTTP 503); try again shortly.",
    ],
    ["a 500", rest(500, "boom"), "upstream_failed", "HSM weu failed to list keys (HTTP 500)."],
    [
      "a refused connection",
      network("ECONNREFUSED"),
      "unavailable",
      "HSM weu is unreachable (ECONNREFUSED).",
    ],
    [
      "an untrusted certificate",
      network("UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
      "upstream_failed",
      "HSM weu: its TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE).",
    ],
    [
      "anything else, keeping its text for the log",
      new Error("odd: token=eyJhbGciOi…"),
      "upstream_failed",
      "HSM weu could not list keys: the call failed unexpectedly (the portal's log has the details).",
    ],
    [
      "a 400 whose body is a proxy's HTML page",
      rest(400, "<html><body><h1>400 Bad Request</h1></body></html>"),
      "bad_request",
      "HSM weu could not list keys.",
    ],
    [
      "a 409 with lines of diagnostics",
      rest(409, "Conflict: the key is being deleted.\nx-ms-request-id: 4b1e…\nat Server.handle"),
      "conflict",
      "HSM weu could not list keys: Conflict: the key is being deleted.",
    ],
  ])("maps %s", (_name, error, code, message) => {
    const mapped = toAppError(error, "weu", "list keys");
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toBe(message);
  });

  it("keeps an AppError as it is", () => {
    const original = new AppError("not_found", "gone");
    expect(toAppError(original, "weu", "x")).toBe(original);
  });

  it("finds a network code in the cause chain", () => {
    const wrapped = new Error("request failed", { cause: network("ETIMEDOUT") });
    expect(toAppError(wrapped, "weu", "x").code).toBe("unavailable");
  });
});

describe("isOutcomeUnknown", () => {
  const abort = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
  const sendError = (code: string) => new RestError(`socket ${code}`, { code });
  it.each([
    ["no error", undefined, false],
    ["a 400", rest(400, "BadParameter"), false],
    ["a 403", rest(403, "Forbidden"), false],
    ["a 404", rest(404, "KeyNotFound"), false],
    ["a 409", rest(409, "Conflict"), false],
    ["a 429", rest(429, "Throttled"), false],
    ["a 503", rest(503, "Unavailable"), false],
    ["a 500", rest(500, "boom"), true],
    ["a 502", rest(502, "bad gateway"), true],
    ["a 504", rest(504, "gateway timeout"), true],
    ["a reset connection", sendError("ECONNRESET"), true],
    ["a socket timeout", sendError("ETIMEDOUT"), true],
    ["a send error without a code", sendError(RestError.REQUEST_SEND_ERROR), true],
    ["an abort", abort, true],
    ["a refused connection", sendError("ECONNREFUSED"), false],
    ["an unknown host", sendError("ENOTFOUND"), false],
    ["an untrusted certificate", network("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), false],
    ["anything unrecognised", new Error("odd"), true],
    ["an AppError raised locally", new AppError("bad_request", "not a GUID"), false],
    [
      "a write accepted but not read back",
      new ReadBackError("accepted", { cause: rest(429, "Throttled") }),
      true,
    ],
  ])("for %s, and the AppError made of it", (_name, error, unknown) => {
    expect(isOutcomeUnknown(error)).toBe(unknown);
    if (error !== undefined) expect(isOutcomeUnknown(toAppError(error, "weu", "x"))).toBe(unknown);
  });

  it("reads a status from the response when the error has none of its own", () => {
    const wrapped = new Error("failed", { cause: { response: { status: 500 } } });
    expect(isOutcomeUnknown(wrapped)).toBe(true);
    expect(isOutcomeUnknown(new Error("failed", { cause: { response: { status: 400 } } }))).toBe(
      false,
    );
  });
});
