// GET /api/keys/export – the keys matching a filter, as CSV (up to 50,000 rows)
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { keysCsv } from "@/lib/inventory/export";
import { keyFiltersSchema } from "@/lib/inventory/filters";
import { inventoryContext, keysToExport } from "@/lib/inventory/service";

const exportKeysAsCsv = withRoute({
  access: { permission: "inventory.read" },
  schemas: { query: keyFiltersSchema },
  handler: async ({ session, query, log }) => {
    const context = await inventoryContext(session);
    const keys = await keysToExport(context, query);
    log.info({ rows: keys.length, user: session.userOid }, "keys exported");
    const stamp = new Date(context.now).toISOString().slice(0, 10);
    return new Response(keysCsv(keys), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="keyward-keys-${stamp}.csv"`,
        "x-content-type-options": "nosniff",
      },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: exportKeysAsCsv,
});
