export type { FederatedCredential, FederatedCredentialInput } from "./application-credentials";
export {
  DEFAULT_SYSTEM_ASSIGNED_IDENTITY,
  GRAPH_RESOURCE,
  MANAGED_HSM_RESOURCE,
  TOKEN_EXCHANGE_AUDIENCE,
} from "./constants";
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
export type {
  ManagedIdentity,
  ManagedIdentityEndpoint,
  ManagedIdentityOptions,
} from "./managed-identity";
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
