import "server-only";

import { cache } from "react";

import { loadAccessModel } from "@/lib/access/load";
import type { AccessModel } from "@/lib/access/model";
import { getDb, type Db } from "@/lib/db/client";
import type { DirectorySnapshot } from "@/lib/directory/store";
import { getEnv } from "@/lib/env";
import { evaluate } from "@/lib/sod/engine";
import { readSettings } from "@/lib/sod/settings";
import type { Finding, SodSettings } from "@/lib/sod/types";

/* The access model and the current findings, computed once per request. */

export interface AccessState {
  db: Db;
  model: AccessModel;
  directory: DirectorySnapshot["status"];
  settings: SodSettings;
  findings: Finding[];
  /** When the state was read: pages render relative times against it. */
  now: number;
}

export async function computeAccessState(db: Db): Promise<AccessState> {
  const [{ model, directory }, settings] = await Promise.all([
    loadAccessModel(db),
    readSettings(db, { maxAdministrators: getEnv().sodMaxAdministrators }),
  ]);
  return { db, model, directory, settings, findings: evaluate(model, settings), now: Date.now() };
}

export const accessState = cache(async (): Promise<AccessState> =>
  computeAccessState(await getDb()),
);

export function findingsForKey(
  findings: readonly Finding[],
  hsm: string,
  keyLower: string,
): Finding[] {
  return findings.filter((f) => f.hsm === hsm && (f.keys.all || f.keys.names.includes(keyLower)));
}

export function findingsForPrincipal(findings: readonly Finding[], principalId: string): Finding[] {
  return findings.filter((f) => f.principals.some((p) => p.id === principalId));
}

export function findingsForAssignment(
  findings: readonly Finding[],
  hsm: string,
  name: string,
): Finding[] {
  return findings.filter((f) => f.hsm === hsm && f.assignmentNames.includes(name));
}
