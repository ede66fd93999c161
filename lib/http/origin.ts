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
