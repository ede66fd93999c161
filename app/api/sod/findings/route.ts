// GET /api/sod/findings – the separation-of-duties findings, filtered, as JSON or CSV evidence
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { findingsCsv, findingsJson } from "@/lib/sod/export";
import { filterFindings, findingFiltersSchema } from "@/lib/sod/findings";
import { sodState } from "@/lib/sod/service";

const query = findingFiltersSchema.extend({ format: z.enum(["json", "csv"]).default("json") });

const listFindings = withRoute({
  access: { permission: "access.read" },
  schemas: { query },
  handler: async ({ session, query: { format, ...filters }, log }) => {
    const now = Date.now();
    const { findings } = await sodState();
    const selected = filterFindings(findings, filters);
    log.info({ rows: selected.length, format, user: session.userOid }, "findings exported");
    const stamp = new Date(now).toISOString().slice(0, 10);
    if (format === "json")
      return Response.json(findingsJson(selected, now), {
        headers: {
          "content-disposition": `attachment; filename="keyward-sod-findings-${stamp}.json"`,
        },
      });
    return new Response(findingsCsv(selected), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="keyward-sod-findings-${stamp}.csv"`,
        "x-content-type-options": "nosniff",
      },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: listFindings });
