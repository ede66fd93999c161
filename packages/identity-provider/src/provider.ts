import { createLocalJWKSet, decodeJwt } from "jose";
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

import type { ApplicationCredentials } from "./application-credentials";
import { customizeAccessTokenJwt, extraAccessTokenClaims, idTokenClaims } from "./claims";
import { createAssertionVerifier } from "./client-assertion";
import { applicationOfKind, findObject, type Directory } from "./directory";
import type { Logger } from "./log";
import { JWT_BEARER_GRANT, registerOnBehalfOfGrant } from "./obo-grant";
import { allResourceScopes, resourceApps, resourceFromScope } from "./resources";
import { clientSecretOf, publicJwk, type IdentityProviderSecrets } from "./secrets";
import { clientAssertionAuthentication, isAssertionAuthenticated } from "./token-endpoint-auth";
import { logoutConfirmPage, messagePage } from "./views/messages";

export interface ProviderOptions {
  directory: Directory;
  secrets: IdentityProviderSecrets;
  /** https://localhost:<port>/<tenant>/v2.0 */
  issuer: string;
  /** Where browsers reach the sign-in and sign-out pages (see server.ts). */
  browserOrigin: string;
  portalUrl: string;
  /** Certificates and federated credentials of the applications, beside their secrets. */
  credentials: ApplicationCredentials;
  log: Logger;
}

/** The oidc-provider instance, configured to behave like Entra ID for Keyward's clients. */
export function createProvider(options: ProviderOptions): Provider {
  const { directory, secrets, issuer, log } = options;
  const portal = applicationOfKind(directory, "portal");
  const tool = applicationOfKind(directory, "tool");
  const firstParty = new Set([portal.appId, tool.appId]);
  const apps = resourceApps(portal.appId);
  const mountPath = new URL(issuer).pathname;
  const publicKeys = createLocalJWKSet({ keys: [publicJwk(secrets.idp.signingKey)] });

  const configuration: Configuration = {
    clients: [
      {
        client_id: portal.appId,
        client_secret: secrets.portalClientSecret,
        client_name: portal.displayName,
        redirect_uris: [`${options.portalUrl}/api/auth/callback`],
        post_logout_redirect_uris: [`${options.portalUrl}/signed-out`],
        grant_types: [
          "authorization_code",
          "refresh_token",
          "client_credentials",
          JWT_BEARER_GRANT,
        ],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
      {
        client_id: tool.appId,
        client_secret: secrets.toolClientSecret,
        client_name: tool.displayName,
        redirect_uris: [],
        grant_types: ["client_credentials"],
        response_types: [],
        token_endpoint_auth_method: "client_secret_post",
      },
      ...directory.applications
        .filter((app) => app.kind === "workload" && secrets.workloadSecrets[app.appId])
        .map((app) => ({
          client_id: app.appId,
          client_secret: secrets.workloadSecrets[app.appId],
          client_name: app.displayName,
          redirect_uris: [],
          grant_types: ["client_credentials"],
          response_types: [],
          token_endpoint_auth_method: "client_secret_post" as const,
        })),
    ],
    jwks: { keys: [secrets.idp.signingKey] },
    cookies: { keys: secrets.idp.cookieKeys },
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: {
      openid: ["sub", "oid", "tid", "ver", "roles", "groups"],
      profile: ["name", "preferred_username"],
    },
    // Entra ID puts profile claims, roles and groups into the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      AuthorizationCode: 300,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 3600,
      Session: 12 * 3600,
      Grant: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutConfirmPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage(
            "Signed out",
            "You are signed out of the local identity provider.",
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, _client, oneOf) => {
          const body = ctx.oidc.body as Record<string, string | undefined> | undefined;
          const params = ctx.oidc.params as Record<string, string | undefined> | undefined;
          const fromScope = resourceFromScope(apps, params?.scope ?? body?.scope)?.indicator;
          if (oneOf) return fromScope && oneOf.includes(fromScope) ? fromScope : oneOf[0];
          return fromScope;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          const app = apps.find((a) => a.indicator === indicator);
          if (!app) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: [...app.scopes.map((s) => `${indicator}/${s}`), `${indicator}/.default`].join(
              " ",
            ),
            audience: app.audience,
            accessTokenTTL: 3600,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    findAccount: (ctx, id) => {
      const found = findObject(directory, id);
      if (found?.kind !== "user" || !found.object.accountEnabled) return undefined;
      const clientId = ctx.oidc.client?.clientId ?? portal.appId;
      return { accountId: id, claims: () => idTokenClaims(directory, found.object, clientId) };
    },
    extraTokenClaims: (_ctx, token) => extraAccessTokenClaims(directory, apps, token),
    formats: {
      customizers: {
        jwt: (ctx, token, parts) =>
          customizeAccessTokenJwt(apps, token, parts, isAssertionAuthenticated(ctx) ? "2" : "1"),
      },
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = messagePage("Sign-in error", `${out.error}: ${out.error_description ?? ""}`);
    },
  };

  const provider = new Provider(issuer, configuration);
  registerOnBehalfOfGrant(provider, { directory, apps, publicKeys });
  provider.use(entraRequestShims(apps, mountPath, firstParty));
  provider.use(entraResponseShims(directory, options.browserOrigin));
  provider.use(
    clientAssertionAuthentication({
      credentials: options.credentials,
      verifier: createAssertionVerifier({
        directory,
        credentials: options.credentials,
        issuer,
        tokenEndpoint: `${issuer}/token`,
        publicKeys,
      }),
      secretOf: (appId) => clientSecretOf(directory, secrets, appId),
      log,
    }),
  );
  provider.on("server_error", (_ctx, error) =>
    log.error({ err: error }, "identity provider error"),
  );
  provider.on("grant.error", (_ctx, error) => log.warn({ err: error }, "token request refused"));
  return provider;
}

/**
 * Makes MSAL's authorization requests behave as they do against Entra ID: refresh tokens
 * without a consent screen (oidc-provider only issues offline_access with prompt=consent), and
 * one refresh token usable for every resource (bind the request to all of them).
 */
function entraRequestShims(
  apps: ReturnType<typeof resourceApps>,
  mountPath: string,
  firstParty: ReadonlySet<string>,
) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    const clientId = typeof ctx.query.client_id === "string" ? ctx.query.client_id : "";
    if (ctx.path === "/auth" && ctx.method === "GET" && firstParty.has(clientId)) {
      const query = { ...ctx.query } as Record<string, string | string[]>;
      const scopes = String(query.scope ?? "").split(" ");
      const prompts = new Set(
        String(query.prompt ?? "")
          .split(" ")
          .filter(Boolean),
      );
      if (scopes.includes("offline_access")) prompts.add("consent");
      if (prompts.size > 0) query.prompt = [...prompts].join(" ");
      if (!query.resource && resourceFromScope(apps, String(query.scope))) {
        query.resource = apps.map((a) => a.indicator);
        query.scope = [...new Set([...scopes, ...allResourceScopes(apps)])].join(" ");
      }
      ctx.query = query;
      // Assigning ctx.query rewrites req.url; keep the mount prefix oidc-provider derives from originalUrl.
      (ctx.req as typeof ctx.req & { originalUrl?: string }).originalUrl =
        `${mountPath}${ctx.req.url ?? ""}`;
    }
    await next();
  };
}

/**
 * Adds Entra ID's `client_info` to token responses (MSAL builds its account ids from it), and
 * advertises the browser-facing endpoints on the sign-in origin.
 */
function entraResponseShims(directory: Directory, browserOrigin: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.oidc?.route === "token" && ctx.status === 200 && typeof body?.id_token === "string") {
      const { sub } = decodeJwt(body.id_token);
      const info = JSON.stringify({ uid: sub, utid: directory.tenant.id });
      body.client_info = Buffer.from(info).toString("base64url");
    }
    if (ctx.oidc?.route === "discovery" && body) {
      for (const endpoint of ["authorization_endpoint", "end_session_endpoint"]) {
        const value = body[endpoint];
        if (typeof value === "string") {
          const url = new URL(value);
          body[endpoint] = `${browserOrigin}${url.pathname}`;
        }
      }
    }
  };
}
