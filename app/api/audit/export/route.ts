// GET /api/audit/export – every event of a filter as CSV or JSON lines, streamed newest first
import { auditExportSchema } from "@/lib/audit/filters";
import { auditExportStream } from "@/lib/audit/log";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
} as const;

const exportAuditLog = withRoute({
  access: { permission: "audit.read" },
  schemas: { query: auditExportSchema },
  response: {
    status: 200,
    description:
      "Every event of the filter, newest first, streamed as an attachment: CSV (text/csv) or JSON lines (application/jsonl), one event per line in the API's shape",
    contentType: "text/csv",
  },
  handler: ({ session, query: { format, ...filters }, log }) => {
    const stream = auditExportStream(filters, format, (rows, error) => {
      if (error) log.warn({ err: error, rows, user: session.userOid }, "audit export ended early");
      else log.info({ rows, format, user: session.userOid }, "audit log exported");
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return Promise.resolve(
      new Response(stream, {
        headers: {
          "content-type": CONTENT_TYPES[format],
          "content-disposition": `attachment; filename="keyward-audit-${stamp}.${format}"`,
          "x-content-type-options": "nosniff",
        },
      }),
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: exportAuditLog,
});
