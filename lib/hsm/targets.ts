import "server-only";

import fs from "node:fs";

import { getEnv, type Env } from "@/lib/env";
import type { HsmTarget } from "@/lib/hsm/client";

export interface ConfiguredHsm extends HsmTarget {
  name: string;
  region: string;
}

const caPems = new Map<string, string>();

function caPemOf(file: string): string {
  let caPem = caPems.get(file);
  if (caPem === undefined) {
    caPem = fs.readFileSync(file, "utf8");
    caPems.set(file, caPem);
  }
  return caPem;
}

/**
 * The HSMs this portal manages: the emulated ones (trusting the local CA), or the configured
 * ones, Azure's (the system's trust store) or an emulator named with its own CA file.
 */
export function configuredHsms(env: Env = getEnv()): ConfiguredHsm[] {
  if (env.mode === "azure")
    return env.hsms.map(({ name, url, region, caFile }) =>
      caFile === undefined ? { name, url, region } : { name, url, region, caPem: caPemOf(caFile) },
    );
  const caPem = caPemOf(env.localCaFile);
  return env.hsms.map(({ name, url, region }) => ({ name, url, region, caPem }));
}
