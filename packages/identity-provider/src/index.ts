export { GRAPH_RESOURCE, MANAGED_HSM_RESOURCE } from "./constants";
export {
  applicationOfKind,
  demoAccounts,
  findApplication,
  loadDirectory,
  servicePrincipalIdOf,
  type DemoAccount,
  type Directory,
  type DirectoryApplication,
} from "./directory";
export type { LogLevel } from "./log";
export {
  clientSecretOf,
  completeSecrets,
  ensureSecretsFile,
  identityProviderSecretsSchema,
  type IdentityProviderSecrets,
} from "./secrets";
export {
  startIdentityProvider,
  type IdentityProviderOptions,
  type RunningIdentityProvider,
} from "./server";
