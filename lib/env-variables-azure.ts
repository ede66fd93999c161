import { z } from "zod";

import { guid, hsmName, httpsUrl, jsonText } from "@/lib/validation/primitives";

/*
 * The settings of azure mode's identity and HSMs: the tenant, the portal's app registration and
 * its credential, the authority, and the Managed HSMs. Kept apart from lib/env-variables.ts only
 * for size; that file spreads them into ENV_VARIABLES, the one list lib/env.ts reads.
 */

/** Where Azure's Managed HSMs live, in each cloud. */
const AZURE_MANAGED_HSM_DOMAINS = [
  ".managedhsm.azure.net",
  ".managedhsm.usgovcloudapi.net",
  ".managedhsm.azure.cn",
  ".managedhsm.microsoftazure.de",
];

const hsmList = jsonText("must be a JSON array").pipe(
  z
    .array(
      z
        .object({
          name: hsmName,
          url: httpsUrl,
          region: z.string().trim().min(1).max(64),
          caFile: z.string().trim().min(1).optional(),
        })
        .refine(
          (hsm) =>
            hsm.caFile === undefined ||
            !AZURE_MANAGED_HSM_DOMAINS.some((domain) => new URL(hsm.url).hostname.endsWith(domain)),
          "caFile is only for an HSM outside Azure: Azure's Managed HSMs are trusted through the system's CAs and keep the SDK's challenge check",
        ),
    )
    .min(1, "must list at least one HSM")
    .refine((hsms) => new Set(hsms.map((h) => h.name)).size === hsms.length, {
      message: "HSM names must be unique",
    }),
);

export const AZURE_VARIABLES = [
  {
    name: "AZURE_TENANT_ID",
    scope: "azure",
    description: "The Microsoft Entra tenant (directory) id.",
    example: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    requiredIn: "azure",
    schema: guid,
  },
  {
    name: "AZURE_CLIENT_ID",
    scope: "azure",
    description: "The application (client) id of Keyward's app registration.",
    example: "3f6e2b9a-7c41-4d2e-8a5f-1b9c0e7d6a21",
    requiredIn: "azure",
    schema: guid,
  },
  {
    name: "AZURE_CLIENT_SECRET",
    scope: "azure",
    description:
      "Client secret of the app registration. Set exactly one of this, `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_MANAGED_IDENTITY` or `AZURE_FEDERATED_TOKEN_FILE`.",
    example: "(the secret's value)",
    secret: true,
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "AZURE_CLIENT_CERTIFICATE_PATH",
    scope: "azure",
    description:
      "PEM file holding the app registration's certificate and its unencrypted private key.",
    example: "/etc/keyward/client.pem",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "AZURE_MANAGED_IDENTITY",
    scope: "azure",
    description:
      "`system` for the system-assigned managed identity, or the client id of a user-assigned one (used as a federated credential).",
    example: "system",
    schema: z.union([z.literal("system"), guid], {
      message: "must be system or a client id (GUID)",
    }),
  },
  {
    name: "AZURE_FEDERATED_TOKEN_FILE",
    scope: "azure",
    description:
      "A file holding a token of another issuer that the app registration trusts as a federated identity credential, read again for every new token: Kubernetes workload identity (AKS projects the service account's token there and sets this variable).",
    example: "/var/run/secrets/azure/tokens/azure-identity-token",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "AZURE_AUTHORITY_HOST",
    scope: "azure",
    description: "Entra sign-in host; change it for national clouds.",
    example: "https://login.microsoftonline.us",
    defaultValue: "https://login.microsoftonline.com",
    schema: httpsUrl,
  },
  {
    name: "AZURE_GRAPH_ENDPOINT",
    scope: "azure",
    description:
      "Microsoft Graph's origin, where the portal reads names, groups and its own app roles; it is also the token resource. Change it for national clouds.",
    example: "https://graph.microsoft.us",
    defaultValue: "https://graph.microsoft.com",
    schema: httpsUrl,
  },
  {
    name: "KEYWARD_HSMS",
    scope: "azure",
    description:
      "The Managed HSMs to manage: a JSON array of `{name, url, region}`. An HSM outside Azure (the HSM emulator in a staging or test deployment; refused for Azure's Managed HSM domains) also names `caFile`, the PEM of the only CA trusted for it; for that HSM alone the SDK's check that the token audience matches its host is skipped, and it may ask for Managed HSM tokens only.",
    example:
      '[{"name":"contoso-weu","url":"https://contoso-weu.managedhsm.azure.net","region":"West Europe"}]',
    requiredIn: "azure",
    schema: hsmList,
  },
] as const;
