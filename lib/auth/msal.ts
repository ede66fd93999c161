import "server-only";

import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
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

/**
 * The certificate and its private key from one PEM file. Entra ID takes RSA certificates only
 * (MSAL signs the assertion with PS256), of at least 2048 bits; an encrypted key is refused, as
 * there is no setting for its passphrase.
 */
function readClientCertificate(file: string): { certificate: X509Certificate; privateKey: string } {
  const pem = fs.readFileSync(file, "utf8");
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new Error(`${file} holds no PEM certificate`);
  }
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${file} holds no unencrypted private key (PKCS#8 or PKCS#1 PEM)`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== "rsa" || bits < 2048)
    throw new Error(
      `${file} holds a ${key.asymmetricKeyType === "rsa" ? `${bits}-bit RSA` : (key.asymmetricKeyType ?? "non-RSA")} key: Entra ID takes RSA certificates of 2048 bits or more`,
    );
  if (!certificate.checkPrivateKey(key))
    throw new Error(`${file}: the private key is not the certificate's`);
  return {
    certificate,
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function credentialOptions(config: MsalSettings): Partial<NodeAuthOptions> {
  const { credential } = config;
  if (credential.kind === "secret") return { clientSecret: credential.secret };
  if (credential.kind === "certificate") {
    const { certificate, privateKey } = readClientCertificate(credential.path);
    return {
      clientCertificate: {
        thumbprintSha256: certificate.fingerprint256.replaceAll(":", ""),
        privateKey,
        // MSAL takes the chain as PEM and sends it as the assertion's x5c header.
        x5c: certificate.toString(),
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
