export {
  emulatorSchema,
  type EmulatorConfig,
  type EmulatorConfigInput,
  type FaultConfig,
  type HsmConfig,
} from "./config";
export { emulatorConnection, writeEmulatorConnection, type EmulatorConnection } from "./connection";
export { MANAGED_HSM_RESOURCE } from "./constants";
export type { LogLevel } from "./log";
export { BUILT_IN_ROLE_IDS } from "./rbac/builtin-roles";
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
