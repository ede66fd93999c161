// GET /api/hsms/[hsm]/keys/[name]/public-key – the current version's public key, as JWK or PEM
import { z } from "zod";

import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { getPublicKey } from "@/lib/hsm/keys";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { inventoryContext } from "@/lib/inventory/context";
import { getMirroredKey } from "@/lib/inventory/keys";
import { hsmName, keyName } from "@/lib/validation/primitives";

const readPublicKey = withRoute({
  access: { permission: "inventory.read" },
  schemas: {
    params: z.object({ hsm: hsmName, name: keyName }),
    query: z.object({ format: z.enum(["jwk", "pem"]).default("pem") }),
  },
  handler: async ({ session, params, query }) => {
    const context = await inventoryContext(session);
    // A key the user may not see is "not found", whether or not it exists.
    const key = await getMirroredKey(context.db, params.hsm, params.name, context.visibility);
    if (!key || key.deletedAt !== null)
      throw new AppError(
        "not_found",
        `There is no key ${params.name} in HSM ${params.hsm} that you can see.`,
      );
    if (key.family === "oct")
      throw new AppError("not_found", `Key ${key.name} is an AES key: it has no public part.`);
    const publicKey = await getPublicKey(portalHsmOrThrow(params.hsm), key.name);
    if (!publicKey) throw new AppError("not_found", `Key ${key.name} has no public part.`);
    const file = `${params.hsm}-${key.name}`;
    return query.format === "pem"
      ? new Response(publicKey.pem, {
          headers: {
            "content-type": "application/x-pem-file",
            "content-disposition": `attachment; filename="${file}.pem"`,
          },
        })
      : new Response(`${JSON.stringify(publicKey.jwk, null, 2)}\n`, {
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
