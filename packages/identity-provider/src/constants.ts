/*
 * Microsoft's resource identifiers, as Entra ID issues tokens for them. The provider derives the
 * audience of a token from the scope a client asks for (see resources.ts).
 */

/** The resource (audience) of Managed HSM data-plane tokens. */
export const MANAGED_HSM_RESOURCE = "https://managedhsm.azure.net";
/** The resource of Microsoft Graph, whose directory subset graph-api.ts serves. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The scope an application exposes on its own API for On-Behalf-Of (Entra's convention). */
export const OWN_API_SCOPE_NAME = "access_as_user";
/** The audience of a token another identity presents as a federated identity credential. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
/** RFC 7523 client authentication: a `client_assertion` JWT instead of a client secret. */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/**
 * The system-assigned managed identity the managed-identity endpoint serves unless told
 * otherwise (client id and object id; fixed, so that a federated credential can name it).
 */
export const DEFAULT_SYSTEM_ASSIGNED_IDENTITY = {
  clientId: "5d2f6a1e-8c47-4b9a-a0e3-7f61c2d9b845",
  objectId: "c3e8a9d2-41f6-4e07-9b5c-2a7d18f0e6b3",
} as const;
