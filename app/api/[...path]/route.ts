// * /api/… – any path without a route answers 404 as problem+json, not an HTML page
import { AppError } from "@/lib/errors";
import { withRoute } from "@/lib/http/with-route";

const notFound = withRoute({
  access: "public",
  changesNothing: true,
  handler: ({ request }) =>
    Promise.reject(new AppError("not_found", `There is no API at ${request.nextUrl.pathname}.`)),
});

// Every method, HEAD and OPTIONS included: there is nothing here to allow.
export {
  notFound as GET,
  notFound as HEAD,
  notFound as OPTIONS,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
};
