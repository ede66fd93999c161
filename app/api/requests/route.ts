// GET /api/requests – change requests the caller may see; POST /api/requests – file one (it waits for approval)
import { z } from "zod";

import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import {
  apiRequestDetail,
  apiRequestSummary,
  fileRequestBody,
  requestDetailShape,
  requestPageShape,
} from "@/lib/requests/api-shapes";
import { requestFiltersSchema } from "@/lib/requests/filters";
import { fileChangeRequest, requestPage } from "@/lib/requests/service";

/** A client's key for retrying a filing safely: the same key files the request once. */
const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{8,128}$/, "must be 8–128 printable ASCII characters");

const listRequests = withRoute({
  access: { permission: "requests.read" },
  schemas: { query: requestFiltersSchema },
  response: {
    status: 200,
    description:
      "A page of change requests, newest first (requesters see their own and their groups' keys')",
    schema: requestPageShape,
  },
  handler: async ({ session, query }) => {
    const page = await requestPage(session, query);
    return { requests: page.requests.map(apiRequestSummary), next: page.next };
  },
});

const fileRequest = withRoute({
  access: { permission: "requests.fileOwn" },
  audit: { action: "request.file" },
  maxBodyBytes: 2 * 1024 * 1024,
  schemas: { body: fileRequestBody },
  response: {
    status: 201,
    description:
      "The request as filed, pending approval (200 with the earlier request when the Idempotency-Key was used before)",
    schema: requestDetailShape,
  },
  handler: async ({ session, body, request, audit, log }) => {
    const header = request.headers.get("idempotency-key");
    const key = header === null ? undefined : idempotencyKey.safeParse(header);
    if (key && !key.success)
      throw new AppError(
        "validation_failed",
        `The Idempotency-Key header ${key.error.issues[0]!.message}.`,
      );
    const filed = await fileChangeRequest(session, body, audit, key?.data);
    if (filed.created)
      log.info(
        { request: filed.request.id, kind: body.kind, items: body.items.length },
        "change request filed",
      );
    return Response.json(apiRequestDetail(filed.request), {
      status: filed.created ? 201 : 200,
      headers: { location: `/api/requests/${filed.request.id}` },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listRequests,
  POST: fileRequest,
});
