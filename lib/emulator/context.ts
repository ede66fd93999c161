import "server-only";

import type { Clock } from "@/lib/emulator/clock";
import type { HsmConfig } from "@/lib/emulator/config";
import type { Access } from "@/lib/emulator/rbac/access";
import type { EmulatorDb } from "@/lib/emulator/store/database";
import type { Logger } from "@/lib/log/logger";

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
