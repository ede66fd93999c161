import { jwtVerify, type JWTVerifyGetKey } from "jose";
import { errors, type KoaContextWithOIDC, type Provider } from "oidc-provider";

import { findObject, type Directory } from "./directory";
import { resourceFromScope, type ResourceApp } from "./resources";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

interface OboOptions {
  directory: Directory;
  apps: ResourceApp[];
  publicKeys: JWTVerifyGetKey;
}

/**
 * Entra ID's On-Behalf-Of flow: a middle tier trades a user's access token for its own API for
 * a token to a downstream resource, as that user. The assertion must be this provider's token,
 * unexpired, issued to the calling client, and a user's (not an application's).
 */
export function registerOnBehalfOfGrant(
  provider: Provider,
  { directory, apps, publicKeys }: OboOptions,
) {
  async function onBehalfOf(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client!;
    const params = ctx.oidc.params as Record<string, string | undefined>;
    if (params.requested_token_use !== "on_behalf_of")
      throw new errors.InvalidRequest("requested_token_use must be on_behalf_of");
    if (!params.assertion) throw new errors.InvalidRequest("assertion is required");

    let subject: string;
    try {
      const { payload } = await jwtVerify(params.assertion, publicKeys, {
        issuer: provider.issuer,
        audience: [client.clientId, `api://${client.clientId}`],
        algorithms: ["RS256"],
      });
      if (payload.idtyp !== "user" || typeof payload.oid !== "string")
        throw new Error("not a user token");
      subject = payload.oid;
    } catch (error) {
      throw new errors.InvalidGrant(`assertion validation failed: ${(error as Error).message}`);
    }
    const user = findObject(directory, subject);
    if (user?.kind !== "user" || !user.object.accountEnabled)
      throw new errors.InvalidGrant("the assertion's user does not exist or is disabled");

    const resource = resourceFromScope(apps, params.scope);
    if (!resource || resource.appId === client.clientId)
      throw new errors.InvalidScope("scope must name a downstream resource", params.scope ?? "");
    const resourceServer = new provider.ResourceServer(resource.indicator, {
      audience: resource.audience,
      scope: [
        ...resource.scopes.map((s) => `${resource.indicator}/${s}`),
        `${resource.indicator}/.default`,
      ].join(" "),
      accessTokenFormat: "jwt",
      accessTokenTTL: 3600,
      jwt: { sign: { alg: "RS256" } },
    });
    const requested = (params.scope ?? "").split(" ");
    const defaultScope = `${resource.indicator}/.default`;
    // `.default` asks for every delegated scope the user granted; the response names them and
    // keeps `.default`, which is what MSAL matches its cached token against.
    const scope = (
      requested.includes(defaultScope)
        ? [...resource.scopes.map((s) => `${resource.indicator}/${s}`), defaultScope]
        : requested.filter((s) => resourceServer.scopes.has(s))
    ).join(" ");
    const grant = new provider.Grant({ accountId: user.object.id, clientId: client.clientId });
    grant.addResourceScope(resource.indicator, scope);
    const grantId = await grant.save();
    const token = new provider.AccessToken({
      accountId: user.object.id,
      client,
      grantId,
      gty: "on_behalf_of",
      scope,
    });
    token.resourceServer = resourceServer;
    ctx.oidc.entity("AccessToken", token);
    ctx.body = {
      token_type: "Bearer",
      access_token: await token.save(),
      expires_in: token.expiration,
      scope,
    };
  }
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    onBehalfOf,
    ["assertion", "requested_token_use", "scope"],
    [],
  );
}
