import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { boundPort, closeServers, listenOnLoopback } from "@keyward/local-https";
import { importJWK, SignJWT } from "jose";
import { z } from "zod";

import { DEFAULT_SYSTEM_ASSIGNED_IDENTITY, TOKEN_EXCHANGE_AUDIENCE } from "./constants";
import type { Logger } from "./log";

/*
 * Azure App Service's managed identity endpoint, as MSAL's ManagedIdentityApplication finds it
 * through IDENTITY_ENDPOINT and IDENTITY_HEADER: `GET <endpoint>?api-version=2019-08-01&
 * resource=<resource>[&client_id=<guid> | &object_id=<guid>]` with the header
 * `X-IDENTITY-HEADER: <IDENTITY_HEADER>`, answered with `{access_token, expires_on (epoch
 * seconds, a string), resource, token_type, client_id}`.
 *
 * Plain HTTP on loopback, like App Service's own (http://127.0.0.1:<port>/msi/token): MSAL calls
 * it with Node's fetch, which trusts the system's roots only, so a local CA would not do; the
 * header secret is what guards it, as there. It issues tokens for one resource only,
 * api://AzureADTokenExchange, which an application then presents as a federated identity
 * credential (client-assertion.ts): the identity's object id in `sub`, signed with the
 * provider's key, `iss` the provider's issuer, as Entra issues them for its managed identities.
 */

export const MANAGED_IDENTITY_PATH = "/msi/token";
const API_VERSION = "2019-08-01";
/** Short-lived: MSAL caches it and asks again when less than five minutes remain. */
const TOKEN_LIFETIME_SECONDS = 15 * 60;

const guid = z.guid();

export const managedIdentitySchema = z.object({ clientId: guid, objectId: guid });
export type ManagedIdentity = z.infer<typeof managedIdentitySchema>;

export interface ManagedIdentityOptions {
  /** The loopback HTTP port; 0 (the default) takes a free one. */
  port?: number;
  /** The value of IDENTITY_HEADER; a random one when not given. */
  header?: string;
  systemAssigned?: ManagedIdentity;
  userAssigned?: ManagedIdentity[];
}

export interface ManagedIdentityEndpoint {
  /** The value of IDENTITY_ENDPOINT. */
  endpoint: string;
  /** The value of IDENTITY_HEADER. */
  header: string;
  systemAssigned: ManagedIdentity;
  userAssigned: ManagedIdentity[];
  close: () => Promise<void>;
}

const querySchema = z.object({
  "api-version": z.literal(API_VERSION),
  resource: z.string().min(1),
  client_id: guid.optional(),
  object_id: guid.optional(),
  principal_id: guid.optional(),
  mi_res_id: z.string().optional(),
});

interface Issuing {
  issuer: string;
  tenantId: string;
  signingKey: Record<string, unknown>;
  log: Logger;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

function answer(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** App Service's error shape; MSAL reports `message` as the error description. */
function failure(res: ServerResponse, status: number, message: string) {
  answer(res, status, { statusCode: status, message, correlationId: randomUUID() });
}

export async function startManagedIdentityEndpoint(
  options: ManagedIdentityOptions,
  { issuer, tenantId, signingKey, log }: Issuing,
): Promise<ManagedIdentityEndpoint> {
  const header = options.header ?? randomBytes(32).toString("base64url");
  const expectedHeader = digest(header);
  const systemAssigned = managedIdentitySchema.parse(
    options.systemAssigned ?? DEFAULT_SYSTEM_ASSIGNED_IDENTITY,
  );
  const userAssigned = z.array(managedIdentitySchema).parse(options.userAssigned ?? []);
  const key = await importJWK(signingKey, "RS256");
  const kid = typeof signingKey.kid === "string" ? signingKey.kid : undefined;

  function identityFor(query: z.infer<typeof querySchema>): ManagedIdentity | string {
    if (query.mi_res_id) return "Resource ids of user-assigned identities are not supported here.";
    const named = [query.client_id, query.object_id, query.principal_id].filter(Boolean);
    // One identity per request, as App Service answers: two identifiers could name two.
    if (named.length > 1) return "Give one of client_id, object_id and principal_id, not several.";
    const objectId = query.object_id ?? query.principal_id;
    if (!query.client_id && !objectId) return systemAssigned;
    const found = userAssigned.find(
      (i) => i.clientId === query.client_id || i.objectId === objectId,
    );
    return found ?? "Unable to load the proper Managed Identity.";
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== MANAGED_IDENTITY_PATH) return failure(res, 404, "Not found.");
    if (req.method !== "GET") return failure(res, 405, "Only GET is supported.");
    const presented = req.headers["x-identity-header"];
    if (typeof presented !== "string" || !timingSafeEqual(digest(presented), expectedHeader))
      return failure(res, 401, "The X-IDENTITY-HEADER header is missing or wrong.");
    const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success)
      return failure(res, 400, `api-version=${API_VERSION} and a resource are required.`);
    const identity = identityFor(query.data);
    if (typeof identity === "string") return failure(res, 400, identity);
    const resource = query.data.resource.replace(/\/\.default$/, "");
    if (resource !== TOKEN_EXCHANGE_AUDIENCE)
      return failure(res, 400, `This endpoint issues tokens for ${TOKEN_EXCHANGE_AUDIENCE} only.`);

    const now = Math.floor(Date.now() / 1000);
    const expiresOn = now + TOKEN_LIFETIME_SECONDS;
    const accessToken = await new SignJWT({
      oid: identity.objectId,
      tid: tenantId,
      azp: identity.clientId,
      azpacr: "2",
      idtyp: "app",
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(kid ? { kid } : {}) })
      .setIssuer(issuer)
      .setSubject(identity.objectId)
      .setAudience(resource)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresOn)
      .setJti(randomUUID())
      .sign(key);
    log.info({ clientId: identity.clientId, resource }, "managed identity token issued");
    answer(res, 200, {
      access_token: accessToken,
      expires_on: String(expiresOn),
      resource,
      token_type: "Bearer",
      client_id: identity.clientId,
    });
  }

  const servers = await listenOnLoopback(
    (req, res) =>
      void handle(req, res).catch((error: unknown) => {
        log.error({ err: error }, "managed identity request failed");
        if (!res.headersSent) failure(res, 500, "The token could not be issued.");
        else res.end();
      }),
    options.port ?? 0,
  );
  const endpoint = `http://127.0.0.1:${boundPort(servers)}${MANAGED_IDENTITY_PATH}`;
  log.info({ endpoint }, "managed identity endpoint listening");
  return { endpoint, header, systemAssigned, userAssigned, close: () => closeServers(servers) };
}
