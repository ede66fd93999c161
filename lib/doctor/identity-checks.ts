import "server-only";

import { decodeJwt } from "jose";

import { applicationTokenSource, type TokenSource } from "@/lib/auth/credentials";
import type { Msal } from "@/lib/auth/msal";
import { PORTAL_ROLES } from "@/lib/auth/permissions";
import { createGraphClient } from "@/lib/directory/graph";
import { MANAGED_HSM_RESOURCE } from "@/lib/identity-constants";
import { createHttpsClient } from "@/lib/net/https-client";

import type { DoctorCheck } from "./report";
import type { DoctorSetup } from "./setup";

/*
 * The identity half of the doctor: the authority's metadata, a client-credentials token for
 * Managed HSM (whose `oid` is the portal identity the HSM checks look for), and the app roles of
 * the registration, read from Graph as the directory cache reads them.
 */

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function checkAuthority(setup: DoctorSetup, msal: Msal): Promise<DoctorCheck> {
  const title = "Authority metadata";
  try {
    const { value } = await msal.metadata.getMetadata();
    return { id: "authority", title, status: "pass", detail: `Issuer ${value.issuer}.` };
  } catch (error) {
    return {
      id: "authority",
      title,
      status: "fail",
      detail: `${setup.msal.metadataUrl} did not answer with OpenID metadata: ${messageOf(error)}`,
      fix:
        setup.mode === "azure"
          ? "Check AZURE_AUTHORITY_HOST and AZURE_TENANT_ID, and that this machine reaches the authority over HTTPS (proxy, firewall, private DNS)."
          : "Start the local stack with `npm run demo` (the identity provider is part of it).",
    };
  }
}

function credentialFix(setup: DoctorSetup, message: string): string {
  const { credential } = setup.msal;
  if (/invalid_client|AADSTS7000215|AADSTS7000222|client authentication failed/i.test(message))
    switch (credential.kind) {
      case "secret":
        return "The client secret is wrong or has expired: add a new one under App registrations → Keyward → Certificates & secrets and set AZURE_CLIENT_SECRET to its value.";
      case "certificate":
        return "Entra ID does not know this certificate: upload its public part under App registrations → Keyward → Certificates & secrets (AZURE_CLIENT_CERTIFICATE_PATH holds the certificate and its key).";
      case "managedIdentity":
        return "Add the managed identity as a federated identity credential of the app registration (issuer, subject and audience api://AzureADTokenExchange).";
      case "federatedToken":
        return "Add a federated identity credential to the app registration with the issuer and subject of the token in AZURE_FEDERATED_TOKEN_FILE (AKS: the cluster's OIDC issuer URL and system:serviceaccount:<namespace>:<service account>), audience api://AzureADTokenExchange.";
    }
  if (/AADSTS700016|unauthorized_client|not found in the directory/i.test(message))
    return "AZURE_CLIENT_ID names no application in this tenant: use the Application (client) ID of Keyward's registration, in the tenant of AZURE_TENANT_ID.";
  return "Check AZURE_CLIENT_ID and the credential setting; the message above is the identity provider's.";
}

const CREDENTIAL_WORDS: Record<DoctorSetup["msal"]["credential"]["kind"], string> = {
  secret: "client secret",
  certificate: "client certificate",
  managedIdentity: "managed identity",
  federatedToken: "federated token file",
};

export interface PortalToken {
  check: DoctorCheck;
  /** The portal identity's object id (the service principal's), from the token's `oid`. */
  principalId?: string;
}

export async function checkToken(setup: DoctorSetup, tokens: TokenSource): Promise<PortalToken> {
  const title = "Client-credentials token";
  try {
    const token = await tokens.getToken(`${MANAGED_HSM_RESOURCE}/.default`);
    const oid = token ? decodeJwt(token.token).oid : undefined;
    if (typeof oid !== "string")
      return {
        check: {
          id: "token",
          title,
          status: "fail",
          detail: "The token for Managed HSM names no object id (oid).",
          fix: "The registration needs a service principal in the tenant: open Enterprise applications, or run `az ad sp create --id <client id>`.",
        },
      };
    return {
      check: {
        id: "token",
        title,
        status: "pass",
        detail: `Issued for Managed HSM to the service principal ${oid} (${CREDENTIAL_WORDS[setup.msal.credential.kind]}).`,
      },
      principalId: oid,
    };
  } catch (error) {
    const message = messageOf(error);
    return {
      check: {
        id: "token",
        title,
        status: "fail",
        detail: `No token for ${setup.msal.clientId}: ${message}`,
        fix: credentialFix(setup, message),
      },
    };
  }
}

export async function checkAppRoles(setup: DoctorSetup, msal: Msal): Promise<DoctorCheck> {
  const title = "App roles of the registration";
  const graph = createGraphClient({
    ...setup.graph,
    request: createHttpsClient(setup.msal.caPem),
    tokens: applicationTokenSource(msal),
  });
  const wanted = Object.keys(PORTAL_ROLES);
  try {
    const defined = await graph.appRoleValues(setup.msal.clientId);
    if (defined === null)
      return {
        id: "app-roles",
        title,
        status: "fail",
        detail: `The directory has no service principal for ${setup.msal.clientId}.`,
        fix: "Create it: open the registration's Enterprise application once, or run `az ad sp create --id <client id>`.",
      };
    const missing = wanted.filter((role) => !defined.includes(role));
    if (missing.length === 0)
      return { id: "app-roles", title, status: "pass", detail: `Defines ${wanted.join(", ")}.` };
    return {
      id: "app-roles",
      title,
      status: "fail",
      detail: `Missing ${missing.join(", ")}: nobody can sign in as ${missing.length === 1 ? "that role" : "those roles"}.`,
      fix: "Add them under App registrations → Keyward → App roles (or paste docs/app-roles.json into the manifest's appRoles), then assign them to groups in Enterprise applications → Keyward → Users and groups.",
    };
  } catch (error) {
    const message = messageOf(error);
    return {
      id: "app-roles",
      title,
      status: "fail",
      detail: `Could not read the registration from ${setup.graph.baseUrl}: ${message}`,
      fix: /\b403\b|Authorization_RequestDenied/.test(message)
        ? "Grant the registration Microsoft Graph's application permission Directory.Read.All, with admin consent (API permissions → Grant admin consent)."
        : "Check that this machine reaches Microsoft Graph (AZURE_GRAPH_ENDPOINT).",
    };
  }
}
