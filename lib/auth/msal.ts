import "server-only";

import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import {
  ConfidentialClientApplication,
  LogLevel,
  ManagedIdentityApplication,
  type Configuration,
  type INetworkModule,
  type NodeAuthOptions,
} from "@azure/msal-node";

import { getAuthConfig, type AuthConfig } from "@/lib/auth/config";
import { createMetadataSource, type MetadataSource } from "@/lib/auth/oidc-metadata";
import { getLogger } from "@/lib/log/logger";
import { createHttpsClient, type HttpsRequest } from "@/lib/net/https-client";

/** The token exchange audience for a managed identity used as a federated credential. */
const FEDERATED_CREDENTIAL_RESOURCE = "api://AzureADTokenExchange";

function networkModule(request: HttpsRequest): INetworkModule {
  const send = async <T>(
    method: "GET" | "POST",
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const response = await request(method, url, { headers: options?.headers, body: options?.body });
    return {
      status: response.status,
      headers: response.headers,
      body: (response.text ? JSON.parse(response.text) : {}) as T,
    };
  };
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}

/** What MSAL needs to act as one application at one identity provider. */
export type MsalSettings = Pick<
  AuthConfig,
  "clientId" | "authority" | "metadataUrl" | "knownAuthorities" | "credential" | "caPem"
>;

function credentialOptions(config: MsalSettings): Partial<NodeAuthOptions> {
  const { credential } = config;
  if (credential.kind === "secret") return { clientSecret: credential.secret };
  if (credential.kind === "certificate") {
    const pem = fs.readFileSync(credential.path, "utf8");
    const certificate = new X509Certificate(pem);
    const privateKey =
      /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
        pem,
      )?.[0];
    if (!privateKey) throw new Error(`${credential.path} holds no unencrypted private key`);
    return {
      clientCertificate: {
        thumbprintSha256: certificate.fingerprint256.replaceAll(":", ""),
        privateKey,
        x5c: certificate.raw.toString("base64"),
      },
    };
  }
  if (credential.kind === "federatedToken") {
    const { file } = credential;
    // Read for every new token: the issuer rotates the file (AKS: hourly).
    return { clientAssertion: async () => (await fs.promises.readFile(file, "utf8")).trim() };
  }
  const identity = new ManagedIdentityApplication(
    credential.clientId === "system"
      ? {}
      : { managedIdentityIdParams: { userAssignedClientId: credential.clientId } },
  );
  return {
    clientAssertion: async () =>
      (await identity.acquireToken({ resource: FEDERATED_CREDENTIAL_RESOURCE })).accessToken,
  };
}

/**
 * The portal's MSAL setup for one identity provider: its metadata (fetched once, handed to MSAL
 * so it never rediscovers it), its trust anchor, and a factory of ConfidentialClientApplications.
 */
export function createMsal(config: MsalSettings) {
  const request = createHttpsClient(config.caPem);
  const metadata: MetadataSource = createMetadataSource(config.metadataUrl, request);
  const credential = credentialOptions(config);
  const log = getLogger().child({ component: "msal" });

  async function client(): Promise<ConfidentialClientApplication> {
    const { raw } = await metadata.getMetadata();
    const configuration: Configuration = {
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        authorityMetadata: raw,
        ...(config.knownAuthorities.length > 0
          ? { knownAuthorities: config.knownAuthorities }
          : {}),
        ...credential,
      },
      system: {
        ...(config.caPem ? { networkClient: networkModule(request) } : {}),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => {
            // Said of every client-credentials token (they carry no account): noise, not news.
            if (!message.includes("No client info in response")) log.warn(message);
          },
        },
      },
    };
    return new ConfidentialClientApplication(configuration);
  }

  return { client, metadata };
}

export type Msal = ReturnType<typeof createMsal>;

let shared: Msal | undefined;

/** This process's MSAL setup for the configured identity provider. */
export function getMsal(): Msal {
  shared ??= createMsal(getAuthConfig());
  return shared;
}
