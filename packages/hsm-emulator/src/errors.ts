/*
 * Errors in Managed HSM's wire shape: {"error":{"code","message","innererror"?}}. Codes follow
 * the reference: BadParameter, Unauthorized, Forbidden, KeyNotFound, Conflict, Throttled.
 */

export class HsmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HsmError";
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}),
      },
    };
  }
}

export const badParameter = (message: string) => new HsmError(400, "BadParameter", message);

export const keyNotFound = (name: string) =>
  new HsmError(
    404,
    "KeyNotFound",
    `A key with (name/id) ${name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

export const deletedKeyNotFound = (name: string) =>
  new HsmError(404, "KeyNotFound", `Deleted Key not found: ${name}`);

export const notFound = (message: string) => new HsmError(404, "NotFound", message);

export const conflict = (message: string) => new HsmError(409, "Conflict", message);

export const forbidden = (message: string, innerCode = "ForbiddenByPolicy") =>
  new HsmError(403, "Forbidden", message, innerCode);

export const throttled = (retryAfterSeconds?: number) =>
  new HsmError(
    429,
    "Throttled",
    "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
    undefined,
    retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) },
  );

export const unavailable = () =>
  new HsmError(
    503,
    "ServiceUnavailable",
    "The service is temporarily unavailable. Please retry later.",
  );
