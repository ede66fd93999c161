/*
 * Identifiers shared by the portal and the local identity provider. The Azure resource ids are
 * Microsoft's; the local tenant and application ids are Keyward's demo directory, fixed so that
 * tokens, bookmarks and test fixtures stay stable across machines.
 */

/** The resource (audience) of Managed HSM data-plane tokens. */
export const MANAGED_HSM_RESOURCE = "https://managedhsm.azure.net";
/** The resource of Microsoft Graph, whose directory subset the portal reads. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The delegated scope a user grants the portal on Managed HSM (used for On-Behalf-Of). */
export const MANAGED_HSM_USER_SCOPE = `${MANAGED_HSM_RESOURCE}/user_impersonation`;
/** The scope the portal exposes on its own API; its access token is the On-Behalf-Of assertion. */
export const PORTAL_API_SCOPE_NAME = "access_as_user";

export const LOCAL_TENANT_ID = "3966fe37-63ec-4ee1-b5e7-288724de1c79";
export const LOCAL_PORTAL_CLIENT_ID = "b86f2b30-622d-4b56-91b1-92fc7ce93919";
export const LOCAL_TOOL_CLIENT_ID = "b073470c-2006-45f2-b92c-cfca7489b12d";
