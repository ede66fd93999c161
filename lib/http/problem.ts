import { ERROR_CODES, type AppError } from "@/lib/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** RFC 9457 problem details, as every route answers an error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: AppError["fieldErrors"];
}

/** Problem types are URNs: stable identifiers that do not pretend to be fetchable documents. */
export function problemType(code: keyof typeof ERROR_CODES): string {
  return `urn:keyward:problem:${code.replaceAll("_", "-")}`;
}

export function toProblem(error: AppError, requestId: string, instance?: string): Problem {
  const { status, title } = ERROR_CODES[error.code];
  return {
    ...error.extensions,
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    requestId,
    ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
  };
}

export function problemResponse(
  error: AppError,
  requestId: string,
  instance?: string,
  headers: HeadersInit = {},
): Response {
  const problem = toProblem(error, requestId, instance);
  const responseHeaders = new Headers(headers);
  for (const [name, value] of Object.entries(error.headers)) responseHeaders.set(name, value);
  responseHeaders.set("content-type", PROBLEM_CONTENT_TYPE);
  if (error.retryAfterSeconds !== undefined)
    responseHeaders.set("retry-after", String(Math.ceil(error.retryAfterSeconds)));
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: responseHeaders,
  });
}
