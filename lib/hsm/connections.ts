import "server-only";

import { applicationTokenSource } from "@/lib/auth/credentials";
import { getMsal } from "@/lib/auth/msal";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { configuredHsms } from "@/lib/hsm/targets";

/*
 * The portal's handles on its configured HSMs, acting as the portal's own application identity
 * (client credentials). One set per process, kept on globalThis so that `next dev` reloads do
 * not multiply connection pools and concurrency limits.
 */

const holder = globalThis as typeof globalThis & { keywardHsmHandles?: Map<string, HsmHandle> };

function handles(): Map<string, HsmHandle> {
  if (!holder.keywardHsmHandles) {
    const env = getEnv();
    const credential = applicationTokenSource(getMsal());
    holder.keywardHsmHandles = new Map(
      configuredHsms(env).map((hsm) => [
        hsm.name,
        createHsmHandle(hsm, credential, { concurrency: env.hsmConcurrency }),
      ]),
    );
  }
  return holder.keywardHsmHandles;
}

export function portalHsms(): HsmHandle[] {
  return [...handles().values()];
}

export function portalHsmOrThrow(name: string): HsmHandle {
  const handle = handles().get(name);
  if (!handle)
    throw new AppError(
      "not_found",
      `There is no HSM named ${name} in this portal's configuration.`,
    );
  return handle;
}

export function isConfiguredHsm(name: string): boolean {
  return handles().has(name);
}
