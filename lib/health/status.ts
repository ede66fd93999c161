import "server-only";

import { describeDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { formatDuration } from "@/lib/format/duration";
import { KEYWARD_VERSION } from "@/lib/version";

/** What this portal runs on, as the status page lists it: no secret, no connection string. */
export function portalFacts(): [string, string][] {
  const env = getEnv();
  return [
    ["Version", KEYWARD_VERSION],
    ["Mode", env.mode === "local" ? "Local (emulated services)" : "Azure"],
    ["Database", describeDatabase(env.database)],
    ["Portal URL", env.publicUrl],
    ["Uptime", formatDuration(process.uptime())],
    ["Node.js", process.version],
  ];
}
