import { CHECKPOINT_PREFIX } from "@/lib/audit/checkpoint-format";
import { appendAuditEvent } from "@/lib/audit/record";
import { systemActor } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import type { AppendOnlyContainer } from "@/lib/storage/append-only-container";

/*
 * What the checkpoint tests share: a chain grown by `count` events, one transaction each, and
 * the checkpoint blobs a container holds.
 */

export async function appendTestEvents(
  db: Db,
  count: number,
  { actor, action = "test.append" }: { actor: string; action?: string },
): Promise<void> {
  for (let i = 0; i < count; i += 1)
    await db.transaction().execute((trx) =>
      appendAuditEvent(trx, {
        at: Date.now(),
        actor: systemActor(actor),
        action,
        target: { n: i },
        outcome: "succeeded",
        detail: {},
        requestId: null,
      }),
    );
}

export async function checkpointBlobNames(store: AppendOnlyContainer): Promise<string[]> {
  const names: string[] = [];
  for await (const name of store.list(CHECKPOINT_PREFIX)) names.push(name);
  return names;
}
