import "server-only";

import type { Db } from "@/lib/db/client";
import { groupLabels } from "@/lib/directory/store";
import { AppError, type FieldError } from "@/lib/errors";
import { keyFromTemplateItem, namesTemplate } from "@/lib/requests/item-schemas";
import type { RequestKind } from "@/lib/requests/kinds";
import { expandTemplateItem, type ExpandProblem } from "@/lib/templates/expand";
import { findTemplate } from "@/lib/templates/store";
import type { KeyTemplate } from "@/lib/templates/template";

/*
 * Key-create items that name a template, made into full items before the request is checked
 * like any other: the template and the owner group's name are read here, and the names in use
 * on the HSM (keys, deleted keys, and keys that pending requests will create).
 */

export interface ExpandedItems {
  /** The items to file: expanded where they named a template, as given otherwise. */
  items: unknown[];
  /** The template every item was made from, or null when none names one. */
  template: KeyTemplate | null;
}

const refuse = (message: string, errors: FieldError[]) =>
  new AppError("validation_failed", message, { fieldErrors: errors.slice(0, 50) });

const pointerOf = (index: number, path: readonly (string | number)[]) =>
  `/items/${index}${path.map((part) => `/${String(part)}`).join("")}`;

/** Key names in use on an HSM now or soon: keys, deleted keys, and pending creations. */
async function takenNames(db: Db, hsm: string): Promise<Set<string>> {
  const [keys, pending] = await Promise.all([
    db.selectFrom("inventory_key").select("name_lower").where("hsm", "=", hsm).execute(),
    db
      .selectFrom("change_request_item as i")
      .innerJoin("change_request as r", "r.id", "i.request_id")
      .select("i.target")
      .where("r.hsm", "=", hsm)
      .where("r.kind", "in", ["key.create", "key.import", "restore.key"])
      .where("r.state", "in", ["pending", "approved", "executing"])
      .execute(),
  ]);
  const names = new Set(keys.map((k) => k.name_lower));
  for (const row of pending) {
    const key = (JSON.parse(row.target) as { key?: string }).key;
    if (key) names.add(key.toLowerCase());
  }
  return names;
}

export async function expandTemplateItems(
  db: Db,
  kind: RequestKind,
  hsm: string | null,
  items: unknown[],
  now: number,
): Promise<ExpandedItems> {
  const named = items.map(namesTemplate);
  if (kind !== "key.create" || !named.some(Boolean)) return { items, template: null };
  if (!named.every(Boolean))
    throw refuse("A request holds keys from a template or keys described in full, not both.", [
      { in: "body", pointer: `/items/${named.indexOf(false)}`, detail: "names no template" },
    ]);
  const errors: FieldError[] = [];
  const parsed = items.map((item, index) => {
    const result = keyFromTemplateItem.safeParse(item);
    if (!result.success)
      for (const issue of result.error.issues)
        errors.push({
          in: "body",
          pointer: pointerOf(index, issue.path as (string | number)[]),
          detail: issue.message,
        });
    return result.data;
  });
  if (errors.length > 0)
    throw refuse(
      `An item is not a valid key from a template: ${errors[0]!.pointer} ${errors[0]!.detail}.`,
      errors,
    );
  const templates = new Set(parsed.map((item) => item!.template));
  if (templates.size > 1)
    throw refuse("A request makes keys from one template; file one request per template.", [
      { in: "body", pointer: "/items", detail: `names ${[...templates].join(", ")}` },
    ]);
  const name = [...templates][0]!;
  const stored = await findTemplate(db, name);
  if (!stored)
    throw new AppError("not_found", `There is no key template named ${name}.`, {
      fieldErrors: [{ in: "body", pointer: "/items/0/template", detail: "no such template" }],
    });
  const template = stored.template;
  const labels = await groupLabels(
    db,
    parsed.map((item) => item!.group),
  );
  const taken = await takenNames(db, hsm!);
  const problems: { index: number; problem: ExpandProblem }[] = [];
  const expanded = parsed.map((item, index) => {
    const label = labels.get(item!.group);
    const result = expandTemplateItem(item!, {
      template,
      hsm: hsm!,
      group: {
        id: item!.group.toLowerCase(),
        name: label?.status === "exists" ? label.name : null,
      },
      now,
      taken: (candidate) => taken.has(candidate.toLowerCase()),
    });
    if (!result.ok) {
      for (const problem of result.problems) problems.push({ index, problem });
      return null;
    }
    // Later items of the same request must not take this one's name.
    taken.add(result.item.key.toLowerCase());
    return result.item;
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw refuse(
      problems.length === 1 && items.length === 1
        ? `The template ${name} refuses this key: ${first.problem.message}.`
        : `Item ${first.index}: the template ${name} refuses it: ${first.problem.message}.`,
      problems.map(({ index, problem }) => ({
        in: "body" as const,
        pointer: pointerOf(index, problem.path),
        detail: problem.message,
      })),
    );
  }
  return { items: expanded, template };
}
