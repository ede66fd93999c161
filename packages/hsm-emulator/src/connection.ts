import fs from "node:fs";
import path from "node:path";

import { MANAGED_HSM_RESOURCE } from "./constants";

/*
 * <data-dir>/emulator.json: what another project needs to call the standalone emulator (its
 * HSMs, the CA to trust, where to get a token and the tool client's credentials). It holds a
 * secret, so it is written with mode 0600. examples/emulator-client.mjs reads it.
 */

export interface EmulatorConnection {
  hsms: { name: string; region: string; url: string }[];
  caFile: string;
  tenantId: string;
  authority: string;
  metadataUrl: string;
  tokenEndpoint: string;
  scope: string;
  /** A service principal that is Managed HSM Administrator on every HSM of the emulator. */
  toolClient: { clientId: string; objectId: string; clientSecret: string };
}

export function emulatorConnection(options: {
  hsms: EmulatorConnection["hsms"];
  caFile: string;
  issuer: string;
  tenantId: string;
  toolClient: EmulatorConnection["toolClient"];
}): EmulatorConnection {
  return {
    hsms: options.hsms,
    caFile: options.caFile,
    tenantId: options.tenantId,
    authority: options.issuer,
    metadataUrl: `${options.issuer}/.well-known/openid-configuration`,
    tokenEndpoint: `${options.issuer}/token`,
    scope: `${MANAGED_HSM_RESOURCE}/.default`,
    toolClient: options.toolClient,
  };
}

export function writeEmulatorConnection(dataDir: string, connection: EmulatorConnection): string {
  const file = path.join(dataDir, "emulator.json");
  fs.writeFileSync(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
