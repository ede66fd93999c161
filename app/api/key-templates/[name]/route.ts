// GET /api/key-templates/[name] – one key template
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiTemplate, storedTemplateShape, templateNameParams } from "@/lib/templates/api-shapes";
import { keyTemplate } from "@/lib/templates/service";

const getKeyTemplate = withRoute({
  access: { permission: "inventory.read" },
  schemas: { params: templateNameParams },
  response: { status: 200, description: "The key template", schema: storedTemplateShape },
  handler: async ({ params }) => apiTemplate(await keyTemplate(params.name)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: getKeyTemplate,
});
