/*
 * Redaction by configuration: every log record passes through redactSecrets before it is
 * written, so a token, cookie, password or piece of key material that reaches a log call is
 * replaced whatever the caller remembered to do.
 */

export const REDACTED = "[redacted]";

/** Keys whose values are always secret, compared case-insensitively without "-" and "_". */
const SECRET_KEYS = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "password",
  "passwd",
  "secret",
  "clientsecret",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sastoken",
  "assertion",
  "clientassertion",
  "codeverifier",
  "privatekey",
  "keyhsm",
  "plaintext",
  "accountkey",
  "masterkey",
  "sessionid",
]);

/** Private members of a JSON Web Key (RFC 7518 §6); secret only inside an object with "kty". */
const JWK_PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "k"]);

const SECRET_PATTERNS: [RegExp, string][] = [
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted jwt]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi, "$1 [redacted]"],
  [
    /(\b(?:sig|code|token|access_token|refresh_token|id_token|client_secret|client_assertion|assertion|password)=)[^&\s"']+/gi,
    "$1[redacted]",
  ],
  [/(AccountKey=)[^;\s"']+/gi, "$1[redacted]"],
];

const MAX_DEPTH = 8;

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

export function redactString(value: string): string {
  return SECRET_PATTERNS.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    value,
  );
}

/** A copy of `value` with secret keys and secret-looking strings replaced. Never mutates. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactString(value.message),
      stack: value.stack ? redactString(value.stack) : undefined,
      ...(value.cause !== undefined ? { cause: redactSecrets(value.cause, depth + 1) } : {}),
    };
  }
  if (value instanceof Date || value instanceof URL) return redactString(value.toString());
  if (value instanceof Headers) return redactSecrets(Object.fromEntries(value), depth);
  const isJwk = "kty" in value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const secret =
      SECRET_KEYS.has(normalise(key)) || (isJwk && JWK_PRIVATE_MEMBERS.has(key.toLowerCase()));
    copy[key] =
      secret && inner !== undefined && inner !== null ? REDACTED : redactSecrets(inner, depth + 1);
  }
  return copy;
}
