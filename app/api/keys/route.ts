// GET /api/keys – the inventory mirror, filtered, sorted and paged as the keys page is
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { keyFiltersSchema } from "@/lib/inventory/filters";
import { findKeys, inventoryContext } from "@/lib/inventory/service";

const listKeys = withRoute({
  access: { permission: "inventory.read" },
  schemas: { query: keyFiltersSchema },
  handler: async ({ session, query }) => {
    const context = await inventoryContext(session);
    const { items, total } = await findKeys(context, query);
    return {
      items,
      total,
      page: query.page,
      pageSize: query.pageSize,
      freshness: context.freshness,
    };
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: listKeys });
