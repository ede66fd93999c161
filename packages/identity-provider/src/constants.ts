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
