import "server-only";

import { isRestError } from "@azure/core-rest-pipeline";

import { AppError, isAppError } from "@/lib/errors";
import { hsmFaultText } from "@/lib/hsm/fault-text";

/*
 * Everything the SDK or the admin client throws becomes an AppError here, so that nothing from
 * @azure/* leaks past lib/hsm. Messages name the HSM and, for a 403, the data action the portal's
 * identity is missing (Managed HSM's error text carries it as "Action: '…'").
 */

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "REQUEST_SEND_ERROR",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

function missingAction(message: string): string | undefined {
  return /Action:\s*'([A-Za-z0-9/._*-]{1,200})'/.exec(message)?.[1];
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || TLS_CODES.test(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toAppError(error: unknown, hsm: string, what: string): AppError {
  if (error instanceof AppError) return error;
  const code = causeCode(error);
  if (code && TLS_CODES.test(code))
    return new AppError(
      "upstream_failed",
      `HSM ${hsm}: its TLS certificate is not trusted (${code}).`,
      { cause: error },
    );
  if (isRestError(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    const detail = hsmFaultText(error.message);
    const because = detail ? `: ${detail}` : "";
    if (status === 401)
      return new AppError(
        "upstream_failed",
        `HSM ${hsm} refused the portal's token while trying to ${what}.`,
        { cause: error },
      );
    if (status === 403) {
      const action = missingAction(error.message);
      return new AppError(
        "forbidden",
        `HSM ${hsm} refused to ${what}: the portal's identity lacks ${action ? `the data action ${action}` : "a role for it"}.`,
        { cause: error },
      );
    }
    if (status === 404)
      return new AppError("not_found", `HSM ${hsm}: ${detail || `nothing to ${what}`}.`, {
        cause: error,
      });
    if (status === 409)
      return new AppError("conflict", `HSM ${hsm} could not ${what}${because}.`, { cause: error });
    if (status === 400)
      return new AppError("bad_request", `HSM ${hsm} could not ${what}${because}.`, {
        cause: error,
      });
    if (status === 429)
      return new AppError("rate_limited", `HSM ${hsm} is throttling requests; try again shortly.`, {
        cause: error,
        retryAfterSeconds: 16,
      });
    if (status === 503)
      return new AppError(
        "unavailable",
        `HSM ${hsm} is unavailable (HTTP 503); try again shortly.`,
        { cause: error, retryAfterSeconds: 16 },
      );
    if (status >= 500)
      return new AppError("upstream_failed", `HSM ${hsm} failed to ${what} (HTTP ${status}).`, {
        cause: error,
      });
  }
  if (code)
    return new AppError("unavailable", `HSM ${hsm} is unreachable (${code}).`, {
      cause: error,
      retryAfterSeconds: 30,
    });
  if ((error as Error | undefined)?.name === "AbortError")
    return new AppError(
      "upstream_timeout",
      `HSM ${hsm} did not answer in time while trying to ${what}.`,
      { cause: error },
    );
  // Whatever this is, its text is not the HSM's answer to a person: it stays in the log.
  return new AppError(
    "upstream_failed",
    `HSM ${hsm} could not ${what}: the call failed unexpectedly (the portal's log has the details).`,
    { cause: error },
  );
}

/** Runs an HSM call and turns any failure into an AppError. */
export async function hsmCall<T>(hsm: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error, hsm, what);
  }
}

/** The answer, or null when the HSM says the thing asked for does not exist (404). */
export async function nullIfNotFound<T>(answer: Promise<T>): Promise<T | null> {
  try {
    return await answer;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}

/**
 * The cause of an error raised after the HSM accepted a write, when reading its result back
 * failed: the write applied, but the caller has no answer to show for it and must read the target.
 */
export class ReadBackError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "ReadBackError";
  }
}

/** Failures before anything was sent: no connection, no address, or a TLS handshake refused. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function httpStatusOf(error: object): number | undefined {
  const { statusCode, response } = error as {
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  if (typeof statusCode === "number") return statusCode;
  return typeof response?.status === "number" ? response.status : undefined;
}

/**
 * Whether a failed WRITE may nevertheless have been applied by the HSM, so that the caller must
 * read the target before deciding whether to send it again. True when no HTTP response came back
 * after the request may have left (connection reset, timeout, abort, anything unrecognised) or
 * the HSM answered with a 5xx other than 503. False when the HSM refused it (4xx, including 429)
 * or was unavailable (503), when it never left (connection refused, DNS, TLS), for an AppError
 * raised locally without a cause, and for no error at all. Looks through AppError causes. A
 * ReadBackError (the write was accepted, its result unread) counts as unknown: read to learn it.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error === undefined || error === null) return false;
  if (isAppError(error) && error.cause === undefined) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth += 1) {
    if (current instanceof ReadBackError) return true;
    const status = httpStatusOf(current);
    if (status !== undefined) return status >= 500 && status !== 503;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (NOT_SENT_CODES.has(code) || TLS_CODES.test(code)))
      return false;
    current = (current as { cause?: unknown }).cause;
  }
  return true;
}
