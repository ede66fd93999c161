// GET /api/hsms/[hsm]/keys/[name]/public-key – the current version's public key, as JWK or PEM
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { inventoryContext, publicKeyOf } from "@/lib/inventory/service";
import { hsmName, keyName } from "@/lib/validation/primitives";

const readPublicKey = withRoute({
  access: { permission: "inventory.read" },
  schemas: {
    params: z.object({ hsm: hsmName, name: keyName }),
    query: z.object({ format: z.enum(["jwk", "pem"]).default("pem") }),
  },
  handler: async ({ session, params, query }) => {
    const { key, pem, jwk } = await publicKeyOf(
      await inventoryContext(session),
      params.hsm,
      params.name,
    );
    const file = `${params.hsm}-${key.name}`;
    return query.format === "pem"
      ? new Response(pem, {
          headers: {
            "content-type": "application/x-pem-file",
            "content-disposition": `attachment; filename="${file}.pem"`,
          },
        })
      : new Response(`${JSON.stringify(jwk, null, 2)}\n`, {
          headers: {
            "content-type": "application/jwk+json",
            "content-disposition": `attachment; filename="${file}.jwk.json"`,
          },
        });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: readPublicKey,
});
