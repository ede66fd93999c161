import "server-only";

import fs from "node:fs";

import { getEnv, type Env } from "@/lib/env";
import type { HsmTarget } from "@/lib/hsm/client";

export interface ConfiguredHsm extends HsmTarget {
  name: string;
  region: string;
}

const caPems = new Map<string, string>();

/** The HSMs this portal manages: the emulated ones (trusting the local CA) or the configured Azure ones. */
export function configuredHsms(env: Env = getEnv()): ConfiguredHsm[] {
  if (env.mode === "azure") return env.hsms.map(({ name, url, region }) => ({ name, url, region }));
  let caPem = caPems.get(env.localCaFile);
  if (caPem === undefined) {
    caPem = fs.readFileSync(env.localCaFile, "utf8");
    caPems.set(env.localCaFile, caPem);
  }
  return env.hsms.map(({ name, url, region }) => ({ name, url, region, caPem }));
}
