// GET /api/access/assignments/export – the role assignments matching a filter, as CSV
import { assignmentsCsv } from "@/lib/access/export";
import { assignmentFiltersSchema } from "@/lib/access/filters";
import { accessState } from "@/lib/access/service";
import { assignmentRows } from "@/lib/access/views";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const exportAssignments = withRoute({
  access: { permission: "access.read" },
  schemas: { query: assignmentFiltersSchema },
  handler: async ({ session, query, log }) => {
    const { model } = await accessState();
    const rows = assignmentRows(model, query);
    log.info({ rows: rows.length, user: session.userOid }, "role assignments exported");
    return new Response(assignmentsCsv(rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="keyward-role-assignments-${new Date().toISOString().slice(0, 10)}.csv"`,
        "x-content-type-options": "nosniff",
      },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: exportAssignments,
});
