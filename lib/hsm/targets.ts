import "server-only";

import fs from "node:fs";

import { getEnv, type Env } from "@/lib/env";
import type { HsmTarget } from "@/lib/hsm/client";

export interface ConfiguredHsm extends HsmTarget {
  name: string;
  region: string;
}

/** The HSMs this portal manages: the emulated ones (trusting the local CA) or the configured Azure ones. */
export function configuredHsms(env: Env = getEnv()): ConfiguredHsm[] {
  if (env.mode === "azure") return env.hsms.map(({ name, url, region }) => ({ name, url, region }));
  const caPem = fs.readFileSync(env.localCaFile, "utf8");
  return env.hsms.map(({ name, url, region }) => ({ name, url, region, caPem }));
}
