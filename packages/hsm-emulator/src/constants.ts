/** The resource (audience) of Managed HSM data-plane tokens, as Entra ID issues them. */
export const MANAGED_HSM_RESOURCE = "https://managedhsm.azure.net";
