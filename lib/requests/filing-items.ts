import "server-only";

import { randomUUID } from "node:crypto";
import type { z } from "zod";

import { seal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";
import { AppError, type FieldError } from "@/lib/errors";
import { normaliseScope } from "@/lib/hsm/role-assignments";
import {
  KEY_KINDS,
  REQUEST_KINDS,
  type AnyItem,
  type ItemOf,
  type RequestKind,
} from "@/lib/requests/kinds";
import { normalisedPolicy } from "@/lib/requests/target-state";
import { policyViolation } from "@/lib/rotation/schedule";
import { isGuid } from "@/lib/validation/primitives";

/*
 * The steps of filing that look at the items alone: their schema, Managed HSM's rules for
 * rotation policies, the target each item names (with the names the executor will use), one
 * change per target, and the owner groups of the keys touched.
 */

const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

export function parseItems(kind: RequestKind, items: unknown[]): AnyItem[] {
  const schema: z.ZodType = REQUEST_KINDS[kind].item;
  const errors: FieldError[] = [];
  const parsed = items.map((item, index) => {
    const result = schema.safeParse(item);
    if (!result.success)
      for (const issue of result.error.issues)
        errors.push({
          in: "body",
          pointer: `/items/${index}${issue.path.map((part) => `/${String(part)}`).join("")}`,
          detail: issue.message,
        });
    return result.data as AnyItem;
  });
  if (errors.length > 0)
    throw new AppError(
      "validation_failed",
      `${errors.length === 1 ? "An item is" : "Some items are"} not a valid ${kind} change: ${errors[0]!.pointer} ${errors[0]!.detail}.`,
      { fieldErrors: errors.slice(0, 50) },
    );
  return parsed;
}

/**
 * Managed HSM's own rules for rotation policies (no Notify, nothing under 28 days, a trigger
 * before expiry needs an expiry): a policy the HSM would refuse is refused now, not after its
 * approvals at execution.
 */
export function refuseUnsupportedPolicies(items: AnyItem[], now: number): void {
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const policy = normalisedPolicy((item as ItemOf<"key.rotation-policy">).policy);
    const needsExpiry = policy.lifetimeActions.some((a) => a.timeBeforeExpiry) && !policy.expiresIn;
    const violation =
      policyViolation(policy, now) ??
      (needsExpiry ? "a trigger before expiry needs an expiry (expiresIn)" : null);
    if (violation)
      errors.push({ in: "body", pointer: `/items/${index}/policy`, detail: violation });
  });
  if (errors.length > 0)
    throw new AppError(
      "validation_failed",
      `Managed HSM would refuse ${errors.length === 1 ? "this rotation policy" : `${errors.length} of these rotation policies`}: ${errors[0]!.detail}.`,
      { fieldErrors: errors.slice(0, 50) },
    );
}

export interface PreparedItem {
  target: Record<string, string>;
  change: Record<string, unknown>;
  sealedSecret: string | null;
}

/** What each item acts on, with the names the executor will use (chosen now, so a retry finds them). */
export async function prepare(
  db: Db,
  kind: RequestKind,
  hsm: string | null,
  item: AnyItem,
  sealKeys: readonly Buffer[],
): Promise<PreparedItem> {
  const change = { ...(item as Record<string, unknown>) };
  switch (kind) {
    case "role-assignment.create": {
      const scope = normaliseScope(String(change.scope));
      const name = randomUUID();
      return { target: { scope, name }, change: { ...change, scope, name }, sealedSecret: null };
    }
    case "role-assignment.delete": {
      const name = String(change.name).toLowerCase();
      const known = await db
        .selectFrom("inventory_role_assignment")
        .select("scope")
        .where("hsm", "=", hsm!)
        .where("name", "=", name)
        .executeTakeFirst();
      if (!known)
        throw new AppError(
          "not_found",
          `HSM ${hsm} has no role assignment ${name} in the inventory; sync the HSM if it was made just now.`,
        );
      return {
        target: { scope: known.scope, name },
        change: { ...change, name, scope: known.scope },
        sealedSecret: null,
      };
    }
    case "role-definition.upsert": {
      const name = (typeof change.name === "string" ? change.name : randomUUID()).toLowerCase();
      return { target: { role: name }, change: { ...change, name }, sealedSecret: null };
    }
    case "role-definition.delete":
      return { target: { role: String(change.name).toLowerCase() }, change, sealedSecret: null };
    case "setting.update":
      return { target: { setting: String(change.name) }, change, sealedSecret: null };
    case "policy.update":
      return { target: { kind: String(change.kind) }, change, sealedSecret: null };
    case "template.upsert":
      return { target: { template: String(change.name) }, change, sealedSecret: null };
    case "backup-schedule.upsert":
    case "backup-schedule.delete":
      return { target: { schedule: String(change.name) }, change, sealedSecret: null };
    case "restore.full":
      return { target: { backup: String(change.backupRunId) }, change, sealedSecret: null };
    case "key.import": {
      const jwk = { ...(change.jwk as Record<string, unknown>) };
      const secret: Record<string, unknown> = {};
      for (const member of PRIVATE_JWK_MEMBERS)
        if (jwk[member] !== undefined) {
          secret[member] = jwk[member];
          delete jwk[member];
        }
      return {
        target: { key: String(change.key) },
        change: { ...change, jwk },
        sealedSecret: seal(JSON.stringify(secret), sealKeys, "request-key-material"),
      };
    }
    default:
      return { target: { key: String(change.key) }, change, sealedSecret: null };
  }
}

/** A target as a bulk refusal names it: the key's name, or the target's parts. */
export const targetWords = (target: Record<string, string>) =>
  target.key ?? Object.values(target).join(" ");

export function refuseDuplicates(targets: Record<string, string>[]): void {
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const id = JSON.stringify(target).toLowerCase();
    const first = seen.get(id);
    if (first !== undefined)
      throw new AppError(
        "validation_failed",
        `Items ${first} and ${index} change the same target; file one change per target.`,
        {
          fieldErrors: [
            {
              in: "body",
              pointer: `/items/${index}`,
              detail: "the same target as an earlier item",
            },
          ],
        },
      );
    seen.set(id, index);
  });
}

/** The owner groups of the keys a request touches (from the inventory, or a new key's tags). */
export async function ownerGroups(
  db: Db,
  kind: RequestKind,
  hsm: string | null,
  items: PreparedItem[],
): Promise<string[]> {
  if (!KEY_KINDS.has(kind) || !hsm) return [];
  const owners = new Set<string>();
  for (const item of items) {
    const tag = (item.change.tags as Record<string, string> | undefined)?.owner?.trim();
    if (tag && isGuid(tag)) owners.add(tag.toLowerCase());
  }
  const names = items.map((item) => item.target.key!.toLowerCase());
  for (let i = 0; i < names.length; i += 200) {
    const rows = await db
      .selectFrom("inventory_key")
      .select("owner")
      .where("hsm", "=", hsm)
      .where("name_lower", "in", names.slice(i, i + 200))
      .where("owner", "is not", null)
      .execute();
    for (const row of rows) {
      // Owner tags are group object ids; anything else names no group (and must not match one).
      const owner = row.owner!.trim();
      if (isGuid(owner)) owners.add(owner.toLowerCase());
    }
  }
  return [...owners].sort();
}
