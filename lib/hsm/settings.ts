import "server-only";

import { hsmCall, nullIfNotFound } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { CallProfile } from "@/lib/hsm/keys";
import type { HsmSetting } from "@/lib/hsm/types";

/*
 * The HSM's settings (GET /settings, GET and PATCH /settings/{name}). The only documented one is
 * AllowKeyManagementOperationsThroughARM, a boolean sent as "true" or "false". No data action
 * guards settings; in practice only a Managed HSM Administrator reads or changes them.
 */

interface WireSetting {
  name: string;
  value: string;
  type?: string;
}

const settingOf = (wire: WireSetting): HsmSetting => ({
  name: wire.name,
  value: wire.value,
  type: wire.type ?? "",
});

export function listSettings(handle: HsmHandle, profile: CallProfile): Promise<HsmSetting[]> {
  return hsmCall(handle.name, "list settings", async () => {
    const { body } = await handle[profile].admin.getSettings<{ settings?: WireSetting[] }>();
    return (body.settings ?? []).map(settingOf);
  });
}

/** The setting, or null when the HSM has no setting of that name. */
export function findSetting(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<HsmSetting | null> {
  return nullIfNotFound(
    hsmCall(handle.name, `read setting ${name}`, async () =>
      settingOf((await handle[profile].admin.getSetting<WireSetting>(name)).body),
    ),
  );
}

export function updateSetting(handle: HsmHandle, name: string, value: string): Promise<HsmSetting> {
  return hsmCall(handle.name, `set ${name} to ${JSON.stringify(value)}`, async () =>
    settingOf((await handle.background.admin.updateSetting<WireSetting>(name, value)).body),
  );
}
