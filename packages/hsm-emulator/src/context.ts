import type { Clock } from "./clock";
import type { HsmConfig } from "./config";
import type { Logger } from "./log";
import type { Access } from "./rbac/access";
import type { EmulatorDb } from "./store/database";

/** Everything an operation on one emulated HSM needs. */
export interface HsmContext {
  config: HsmConfig;
  db: EmulatorDb;
  /** Seals key material at rest (the emulator instance's master key). */
  masterKey: Buffer;
  /** Seals backups: only an HSM with the same security domain can open them. */
  securityDomainKey: Buffer;
  clock: Clock;
  access: Access;
  log: Logger;
  testMode: boolean;
}
