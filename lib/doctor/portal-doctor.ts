import "server-only";

import { getEnv } from "@/lib/env";
import { sharedResult } from "@/lib/health/shared-result";

import { runDoctor } from "./service";
import { doctorSetupFrom } from "./setup";

/**
 * The doctor on this portal's own configuration, for the status page's Setup tab: one run answers
 * every viewer for 30 seconds, so reloading the tab cannot turn into a stream of token requests
 * to the identity provider and reads of every HSM.
 */
export const portalDoctor = sharedResult(() => runDoctor(doctorSetupFrom(getEnv())), 30_000);
