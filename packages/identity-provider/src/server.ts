import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { boundPort, closeServers, listenOnLoopback } from "@keyward/local-https";
import { createLocalJWKSet } from "jose";

import {
  createApplicationCredentials,
  type FederatedCredential,
  type FederatedCredentialInput,
} from "./application-credentials";
import { loadDirectory, type Directory } from "./directory";
import { createGraphHandler, GRAPH_BASE_PATH } from "./graph-api";
import { createInteractionHandler } from "./interactions";
import { createLogger, type LogLevel } from "./log";
import {
  startManagedIdentityEndpoint,
  type ManagedIdentityEndpoint,
  type ManagedIdentityOptions,
} from "./managed-identity";
import { publicJwk, type IdentityProviderSecrets } from "./secrets";
import { STYLESHEET_PATH } from "./views/layout";
import { IDP_STYLES } from "./views/styles";

/*
 * The local identity provider runs two listeners on loopback:
 *  - HTTPS (the issuer): discovery, token, keys, userinfo and the directory API, used by
 *    servers (MSAL, the emulator) that trust the local CA;
 *  - HTTP, for browsers only: the authorization endpoint, the sign-in pages and sign-out.
 *    Browsers treat http://localhost as a secure context, so a person running the demo never
 *    meets a certificate warning; no token or secret ever crosses this listener.
 * When asked for, a third: App Service's managed identity endpoint, plain HTTP guarded by its
 * header secret as App Service's own is (managed-identity.ts says why).
 */

export interface IdentityProviderOptions {
  secrets: IdentityProviderSecrets;
  tls: { cert: string; key: string };
  port: number;
  loginPort: number;
  portalUrl: string;
  logLevel: LogLevel;
  directory?: Directory;
  /** Certificates (PEM; a private key beside them is ignored) by application id. */
  clientCertificates?: Record<string, string[]>;
  /** Federated identity credentials by application id. */
  federatedCredentials?: Record<string, FederatedCredentialInput[]>;
  /** Serve App Service's managed identity endpoint (see managed-identity.ts). */
  managedIdentity?: ManagedIdentityOptions;
}

export interface RunningIdentityProvider {
  issuer: string;
  browserOrigin: string;
  directory: Directory;
  /**
   * Credentials an application may use instead of its secret, addable while the provider runs
   * (as an owner uploads them to an app registration).
   */
  applicationCredentials: {
    /** Registers a certificate (PEM); returns its `x5t#S256` thumbprint. */
    addCertificate: (appId: string, pem: string) => string;
    addFederatedCredential: (
      appId: string,
      credential: FederatedCredentialInput,
    ) => FederatedCredential;
  };
  /** The managed identity endpoint, once started (by the options or later). */
  managedIdentity: ManagedIdentityEndpoint | undefined;
  /** Starts the managed identity endpoint of a provider started without one. */
  startManagedIdentityEndpoint: (
    options?: ManagedIdentityOptions,
  ) => Promise<ManagedIdentityEndpoint>;
  close: () => Promise<void>;
}

function securityHeaders(res: ServerResponse, portalOrigin: string) {
  res.setHeader(
    "content-security-policy",
    `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' ${portalOrigin}; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "not_found" }));
}

export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<RunningIdentityProvider> {
  const log = createLogger(options.logLevel);
  const directory = options.directory ?? loadDirectory();
  const mountPath = `/${directory.tenant.id}/v2.0`;
  const portalOrigin = new URL(options.portalUrl).origin;
  const publicKeys = createLocalJWKSet({ keys: [publicJwk(options.secrets.idp.signingKey)] });

  // Listen first, so that port 0 can take free ports: the issuer names the port it got.
  let handle: ((browserListener: boolean) => RequestListener) | undefined = undefined;
  const deferred =
    (browserListener: boolean): RequestListener =>
    (req, res) =>
      handle?.(browserListener)(req, res);
  const apiServers = await listenOnLoopback(deferred(false), options.port, options.tls);
  const browserServers = await listenOnLoopback(deferred(true), options.loginPort).catch(
    async (error: unknown) => {
      await closeServers(apiServers);
      throw error;
    },
  );
  const issuer = `https://localhost:${boundPort(apiServers)}${mountPath}`;
  const browserOrigin = `http://localhost:${boundPort(browserServers)}`;

  const servers = [...apiServers, ...browserServers];
  const credentials = createApplicationCredentials(directory, issuer);
  try {
    for (const [appId, pems] of Object.entries(options.clientCertificates ?? {}))
      for (const pem of pems) credentials.addCertificate(appId, pem);
    for (const [appId, list] of Object.entries(options.federatedCredentials ?? {}))
      for (const credential of list) credentials.addFederatedCredential(appId, credential);
  } catch (error) {
    await closeServers(servers);
    throw error;
  }

  // oidc-provider is loaded with the first server, not by importing the package for its directory.
  const { createProvider } = await import("./provider");
  const provider = createProvider({
    directory,
    secrets: options.secrets,
    issuer,
    browserOrigin,
    portalUrl: options.portalUrl,
    credentials,
    log,
  });
  const providerCallback = provider.callback();
  const handleInteraction = createInteractionHandler({
    provider,
    directory,
    secrets: options.secrets,
    mountPath,
    log,
  });
  const handleGraph = createGraphHandler({ directory, issuer, publicKeys });

  const toProvider = (req: IncomingMessage, res: ServerResponse) => {
    const request = req as IncomingMessage & { originalUrl?: string };
    request.originalUrl = req.url;
    req.url = req.url!.slice(mountPath.length) || "/";
    void providerCallback(req, res);
  };

  const BROWSER_PATHS = [/^\/auth(\/|$)/, /^\/session\/end(\/|$)/];

  handle = (browserListener) => (req, res) => {
    securityHeaders(res, portalOrigin);
    const path = new URL(req.url ?? "/", "http://idp").pathname;
    void (async () => {
      if (path === STYLESHEET_PATH) {
        res.writeHead(200, {
          "content-type": "text/css; charset=utf-8",
          "cache-control": "public, max-age=3600",
        });
        res.end(IDP_STYLES);
      } else if (await handleInteraction(req, res)) {
        return;
      } else if (
        !browserListener &&
        (path === GRAPH_BASE_PATH || path.startsWith(`${GRAPH_BASE_PATH}/`))
      ) {
        await handleGraph(req, res);
      } else if (path.startsWith(`${mountPath}/`)) {
        const inner = path.slice(mountPath.length);
        if (browserListener && !BROWSER_PATHS.some((p) => p.test(inner))) notFound(res);
        else toProvider(req, res);
      } else {
        notFound(res);
      }
    })().catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  log.info({ issuer, browserOrigin }, "identity provider listening");
  const running: RunningIdentityProvider = {
    issuer,
    browserOrigin,
    directory,
    applicationCredentials: {
      addCertificate: credentials.addCertificate,
      addFederatedCredential: credentials.addFederatedCredential,
    },
    managedIdentity: undefined,
    startManagedIdentityEndpoint: async (managedIdentity = {}) => {
      if (running.managedIdentity) throw new Error("the managed identity endpoint is running");
      running.managedIdentity = await startManagedIdentityEndpoint(managedIdentity, {
        issuer,
        tenantId: directory.tenant.id,
        signingKey: options.secrets.idp.signingKey,
        log,
      });
      return running.managedIdentity;
    },
    close: async () => {
      await running.managedIdentity?.close();
      await closeServers(servers);
    },
  };
  if (options.managedIdentity)
    await running
      .startManagedIdentityEndpoint(options.managedIdentity)
      .catch(async (error: unknown) => {
        await closeServers(servers);
        throw error;
      });
  return running;
}
