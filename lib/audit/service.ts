import "server-only";

import { appendAuditEvent } from "@/lib/audit/record";
import { getAuditKeys, publishedKeySet, type PublishedJwk } from "@/lib/audit/signing-key";
import type { AuditContext, AuditEvent, AuditEventInput, AuditFacts } from "@/lib/audit/types";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/*
 * Writing the audit log: every change and its event commit together or not at all. When the
 * event cannot be written, the change is rolled back and the caller gets a clear 503.
 */

function auditUnavailable(error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError(
    "audit_unavailable",
    `Nothing was changed: the audit log could not record the change (${reason}). Try again; if it persists, the database needs attention.`,
    { cause: error },
  );
}

async function append(trx: Db, input: AuditEventInput): Promise<AuditEvent> {
  try {
    return await appendAuditEvent(trx, input);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

function eventOf(context: AuditContext, facts: AuditFacts, at: number): AuditEventInput {
  return {
    at,
    actor: context.actor,
    action: context.action,
    target: facts.target,
    outcome: facts.outcome ?? "succeeded",
    detail: facts.detail ?? {},
    requestId: context.requestId,
  };
}

/**
 * Runs `change` and appends its event in one transaction. `describe` turns the change's result
 * into the event's target and detail (null when the change found nothing to change: then no
 * event here, and the caller's refusal is recorded instead); the event's time is taken when it
 * is appended.
 */
export async function auditedTransaction<T>(
  context: AuditContext,
  change: (trx: Db) => Promise<T>,
  describe: (result: T) => AuditFacts | null,
  db?: Db,
): Promise<T> {
  const database = db ?? (await getDb());
  let recorded: AuditEvent | undefined;
  const result = await database.transaction().execute(async (trx) => {
    const value = await change(trx);
    const facts = describe(value);
    if (facts) recorded = await append(trx, eventOf(context, facts, Date.now()));
    return value;
  });
  if (recorded) context.onRecorded?.(recorded);
  return result;
}

/**
 * Appends an event inside a transaction the caller runs (for a change made deeper down, such as
 * the session a sign-in creates). The caller's route learns of it only if it commits.
 */
export async function recordInTransaction(
  trx: Db,
  context: AuditContext,
  facts: AuditFacts,
): Promise<AuditEvent> {
  return append(trx, eventOf(context, facts, Date.now()));
}

/** Records an event that goes with no change of the portal's own data (a refusal, a sign-out). */
export async function recordAuditEvent(
  context: AuditContext,
  facts: AuditFacts,
  db?: Db,
): Promise<AuditEvent> {
  const database = db ?? (await getDb());
  const event = await database
    .transaction()
    .execute((trx) => append(trx, eventOf(context, facts, Date.now())));
  context.onRecorded?.(event);
  return event;
}

/** The audit signing keys' public halves, as /api/audit/keys publishes them. */
export async function auditKeySet(): Promise<{ keys: PublishedJwk[] }> {
  try {
    return publishedKeySet(await getAuditKeys());
  } catch (error) {
    // Anyone may ask for the public keys: the reason (a file's path, a setting) stays in the log.
    throw new AppError(
      "unavailable",
      "The audit signing keys are not available; the portal's log says why.",
      { cause: error },
    );
  }
}
