import "server-only";

import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated mutations: a state-changing request that carries
 * cookies must come from the portal's own origin. Browsers always send Origin on such
 * requests; without it, only Sec-Fetch-Site: same-origin is accepted.
 */
export function assertSameOriginMutation(request: Request, allowedOrigin: string): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  if (!request.headers.get("cookie")) return;

  const origin = request.headers.get("origin");
  if (origin && origin !== "null") {
    if (origin === allowedOrigin) return;
    throw new AppError(
      "forbidden",
      `Cross-origin request refused: ${origin} is not this portal's origin.`,
    );
  }
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError(
    "forbidden",
    "Cross-origin request refused: a state-changing request must carry an Origin header.",
  );
}

/**
 * For a read that is itself recorded (an evidence export): a link on another site would make
 * the browser send it with the user's cookie (SameSite=Lax allows a top-level GET), putting an
 * export in their name. Fetch Metadata says where the request came from; a client that sends
 * none (not a browser) is let through, as it carries no one else's cookie.
 */
export function assertNotCrossSiteRead(request: Request): void {
  if (!request.headers.get("cookie")) return;
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site")
    throw new AppError(
      "forbidden",
      "Cross-site request refused: open this export from the portal itself.",
    );
}
