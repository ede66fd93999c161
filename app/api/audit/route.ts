// GET /api/audit – the audit log, filtered, newest first, a keyset page at a time
import { auditPageShape } from "@/lib/audit/api-shapes";
import { apiEvent } from "@/lib/audit/export";
import { auditPageSchema } from "@/lib/audit/filters";
import { auditPage } from "@/lib/audit/log";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listAuditEvents = withRoute({
  access: { permission: "audit.read" },
  schemas: { query: auditPageSchema },
  response: {
    status: 200,
    description: "A page of events, newest first, with the cursors of the pages around it",
    schema: auditPageShape,
  },
  handler: async ({ query }) => {
    const page = await auditPage(query);
    return { events: page.events.map(apiEvent), next: page.next, newer: page.newer };
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listAuditEvents,
});
