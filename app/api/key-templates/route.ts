// GET /api/key-templates – the key templates application teams make keys from
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiTemplate, templateListShape } from "@/lib/templates/api-shapes";
import { keyTemplates } from "@/lib/templates/service";

const listKeyTemplates = withRoute({
  access: { permission: "inventory.read" },
  response: {
    status: 200,
    description:
      "Every key template by name; they change only through template.upsert change requests",
    schema: templateListShape,
  },
  handler: async () => ({ templates: (await keyTemplates()).map(apiTemplate) }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listKeyTemplates,
});
