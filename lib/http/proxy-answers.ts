import "server-only";

import type { NextRequest } from "next/server";

import { AppError } from "@/lib/errors";
import { badAddressPage } from "@/lib/http/bad-address-page";
import { problemResponse } from "@/lib/http/problem";
import {
  API_CACHE_CONTROL,
  nonce as newNonce,
  standalonePageSecurityPolicy,
} from "@/lib/http/security-headers";
import { getLogger } from "@/lib/log/logger";
import { newRequestId, requestLogBindings } from "@/lib/request-id";

/*
 * Answers proxy.ts gives itself, for requests Next would fail on before any page or withRoute
 * runs (with a bare 500 or an empty 400). Like withRoute's, they carry a request id, no-store
 * caching and one log line; proxy.ts adds the security headers.
 */

function finish(request: NextRequest, response: Response, requestId: string, nonce: string) {
  response.headers.set("content-security-policy", standalonePageSecurityPolicy(nonce));
  response.headers.set("cache-control", API_CACHE_CONTROL);
  response.headers.set("x-request-id", requestId);
  getLogger()
    .child(requestLogBindings(requestId, request.headers))
    .info(
      { method: request.method, path: request.nextUrl.pathname, status: response.status },
      "request refused before routing",
    );
  return response;
}

const MALFORMED_PATH =
  "The path has malformed percent-encoding: every % must start an escape of two hexadecimal digits, and the escapes must form UTF-8 (such as %C3%A9 for é).";

/**
 * A path with malformed percent-encoding. The API gets problem+json like every other error; a
 * browser asking for a page gets a short page that says what is wrong and leads home, since
 * raw JSON would tell a person nothing.
 */
export function malformedPathAnswer(request: NextRequest): Response {
  const requestId = newRequestId();
  const nonce = newNonce();
  const { pathname } = request.nextUrl;
  const response = pathname.startsWith("/api/")
    ? problemResponse(
        new AppError("bad_request", MALFORMED_PATH, {
          // Refused before routing: no parameter has a name yet, so the pointer is the whole path.
          fieldErrors: [{ in: "params", pointer: "#", detail: MALFORMED_PATH }],
        }),
        requestId,
        pathname,
      )
    : new Response(badAddressPage({ requestId, nonce }), {
        status: 400,
        headers: { "content-type": "text/html; charset=utf-8" },
      });
  return finish(request, response, requestId, nonce);
}

/** An API request with a method no route module can serve (PROPFIND, MKCOL, …): 501, RFC 9110 §9.1. */
export function unknownMethodAnswer(request: NextRequest): Response {
  const requestId = newRequestId();
  const response = problemResponse(
    new AppError(
      "not_implemented",
      `${request.method} is not a method this API knows; its routes answer some of GET, HEAD, OPTIONS, POST, PUT, PATCH and DELETE (OPTIONS on a path lists which).`,
    ),
    requestId,
    request.nextUrl.pathname,
  );
  return finish(request, response, requestId, newNonce());
}
