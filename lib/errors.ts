/*
 * The portal's one error type. Every failure a user can cause or meet is an AppError with a
 * code from ERROR_CODES; lib/http turns it into RFC 9457 problem+json.
 */

export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  unauthenticated: { status: 401, title: "Sign-in required" },
  reauthentication_required: { status: 401, title: "Recent sign-in required" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Request body too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  not_implemented: { status: 501, title: "Not implemented" },
  upstream_failed: { status: 502, title: "Upstream service failed" },
  unavailable: { status: 503, title: "Service unavailable" },
  audit_unavailable: { status: 503, title: "Audit log unavailable" },
  upstream_timeout: { status: 504, title: "Upstream service timed out" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where an invalid value came from, and a JSON pointer into it (RFC 6901). */
export interface FieldError {
  in: "params" | "query" | "body";
  pointer: string;
  detail: string;
}

export interface AppErrorOptions {
  fieldErrors?: FieldError[];
  /** Seconds a client should wait before retrying (429 and 503). */
  retryAfterSeconds?: number;
  /** RFC 9457 extension members, e.g. where to sign in again. */
  extensions?: Record<string, string>;
  /** Response headers the status calls for: `Allow` on a 405, `WWW-Authenticate` on a 401. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[];
  readonly retryAfterSeconds: number | undefined;
  readonly extensions: Record<string, string>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Failures that say "not now" rather than "no": throttling, an unavailable or unreachable
 * service, a timeout. Worth trying again later; nothing about the request itself was wrong.
 */
export function isTransientError(error: unknown): boolean {
  return (
    isAppError(error) &&
    (error.code === "rate_limited" ||
      error.code === "unavailable" ||
      error.code === "upstream_timeout")
  );
}
