/*
 * Response headers that apply to every page and API response. Pure functions, shared by
 * proxy.ts (per request, with the CSP nonce) and next.config.ts (static assets).
 */

export interface CspOptions {
  nonce: string;
  /** `next dev` evaluates code with eval() for fast refresh. */
  development: boolean;
  https: boolean;
  /** Origins a form may submit to, or be redirected to after submitting (sign-in, sign-out). */
  formTargets?: readonly string[];
}

export function contentSecurityPolicy({
  nonce,
  development,
  https,
  formTargets = [],
}: CspOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", `'nonce-${nonce}'`],
    // Style attributes cannot run code or select elements; Radix and React render them.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", ...formTargets],
    "frame-ancestors": ["'none'"],
    ...(https ? { "upgrade-insecure-requests": [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/**
 * The policy of a page proxy.ts writes itself, before Next renders anything: no scripts at
 * all, its one style element by nonce, and the portal's icon.
 */
export function standalonePageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The policy of an API answer: JSON, a file or a problem, which no browser should run or frame. */
export const API_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** API answers and proxy-written error pages may be personal: no cache keeps them. */
export const API_CACHE_CONTROL = "private, no-store";

export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  },
];

export const HSTS_HEADER = {
  key: "Strict-Transport-Security",
  value: "max-age=63072000; includeSubDomains",
} as const;

/**
 * The headers of every API answer beyond next.config.ts's static ones: the API policy, and HSTS
 * when the portal is served over HTTPS. Set by the proxy and again by withRoute, so that a
 * route the proxy skips (the liveness probe) has them too.
 */
export function setApiAnswerHeaders(headers: Headers, publicUrl: string): void {
  headers.set("content-security-policy", API_SECURITY_POLICY);
  if (publicUrl.startsWith("https:")) headers.set(HSTS_HEADER.key, HSTS_HEADER.value);
}

export function nonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}
