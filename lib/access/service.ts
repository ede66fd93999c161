import "server-only";

import { cache } from "react";

import { grantChoicesOf, type GrantChoices } from "@/lib/access/grant-choices";
import { loadAccessModel } from "@/lib/access/load";
import type { AccessModel } from "@/lib/access/model";
import { getDb } from "@/lib/db/client";
import type { DirectorySnapshot } from "@/lib/directory/store";
import { configuredHsms } from "@/lib/hsm/targets";

/* The access model as the mirror and the directory cache hold it, read once per request. */

export interface AccessState {
  model: AccessModel;
  directory: DirectorySnapshot["status"];
  /** When the state was read: pages render relative times against it. */
  now: number;
}

export async function computeAccessState(): Promise<AccessState> {
  const { model, directory } = await loadAccessModel(await getDb());
  return { model, directory, now: Date.now() };
}

/** The access state for this request: a page and the components it renders share one read. */
export const accessState = cache(computeAccessState);

/** What the grant form offers: the HSMs this portal manages that have roles, and the principals. */
export function grantChoices(model: AccessModel): GrantChoices {
  const configured = configuredHsms().map((hsm) => hsm.name);
  return grantChoicesOf(model, configured);
}
