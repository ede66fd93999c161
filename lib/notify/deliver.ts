import "server-only";

import type { Db } from "@/lib/db/client";
import type { NotificationTable, WebhookName } from "@/lib/db/schema/notify/table";
import { afterFailure, FIRST_ROUND_BACKOFF_MS, GIVE_UP_AFTER_MS } from "@/lib/notify/schedule";
import { SIGNATURE_HEADER, signatureHeader } from "@/lib/notify/signature";

/*
 * The delivery job's work: post each due notification to its webhook, a round of attempts at a
 * time (schedule.ts), and record every attempt as it is made. Callers run it under a lease
 * (job.ts), so one portal instance delivers at a time; on top of that each notification is
 * claimed by a guarded update before it is posted, so two senders never post it at once. A
 * sender that dies mid-round leaves its claim to run out, and the notification is posted again:
 * delivery is at least once, and receivers drop repeats by Keyward-Event-Id.
 */

export const EVENT_ID_HEADER = "Keyward-Event-Id";
const TIMEOUT_MS = 10_000;
/** Longer than a round can take (three timeouts and the pauses), so a live sender keeps its claim. */
const CLAIM_MS = 120_000;
const BATCH = 50;
const MAX_ERROR_LENGTH = 300;

export interface Webhook {
  url: string;
  /** Signs each post when set. */
  secret?: string | undefined;
}
export type Webhooks = Partial<Record<WebhookName, Webhook>>;

export type Post = (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
) => Promise<{ status: number }>;

/** POSTs without following redirects (a 3xx is a failure, and the body goes nowhere else). */
export const postJson: Post = async (url, body, headers) => {
  const response = await fetch(url, {
    method: "POST",
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await response.body?.cancel();
  return { status: response.status };
};

export interface DeliveryOptions {
  now?: () => number;
  post?: Post;
  sleep?: (ms: number) => Promise<void>;
  /** Stops between attempts when it aborts (the lease was lost). */
  signal?: AbortSignal;
}

export interface DeliveryReport {
  /** Notifications this run posted successfully. */
  sent: number;
  /** Notifications whose round failed and that wait for a later one. */
  retrying: number;
  /** Notifications given up this run (a day of attempts, or a webhook no longer configured). */
  failed: number;
  /** When the earliest notification still waiting is due; null when none waits. */
  nextDueAt: number | null;
}

/** Why an attempt failed, in words that carry neither the URL nor anything the receiver sent. */
function describeFailure(error: unknown, url: string): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  const text = typeof cause === "string" ? `${message} (${cause})` : message;
  return text.replaceAll(url, "<webhook>").slice(0, MAX_ERROR_LENGTH);
}

interface AttemptResult {
  status: number | null;
  error: string | null;
  ok: boolean;
}

async function attempt(
  row: NotificationTable,
  webhook: Webhook,
  post: Post,
  now: () => number,
): Promise<AttemptResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Keyward webhooks",
    [EVENT_ID_HEADER]: row.id,
  };
  if (webhook.secret)
    headers[SIGNATURE_HEADER] = signatureHeader(
      webhook.secret,
      row.payload,
      Math.floor(now() / 1000),
    );
  try {
    const { status } = await post(webhook.url, row.payload, headers);
    const ok = status >= 200 && status < 300;
    return { status, ok, error: ok ? null : `the webhook answered ${status}` };
  } catch (error) {
    return { status: null, ok: false, error: describeFailure(error, webhook.url) };
  }
}

/** Takes a due notification for this sender; false when another sender has it. */
async function claim(db: Db, row: NotificationTable, at: number): Promise<boolean> {
  const claimed = await db
    .updateTable("notification")
    .set({ next_attempt_at: at + CLAIM_MS, updated_at: at })
    .where("id", "=", row.id)
    .where("status", "=", "pending")
    .where("attempts", "=", row.attempts)
    .where("next_attempt_at", "=", row.next_attempt_at)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/**
 * Records one attempt and the notification's state after it, together; false when the
 * notification moved meanwhile (this sender outlived its claim and another took over).
 */
async function record(
  db: Db,
  row: NotificationTable,
  n: number,
  started: number,
  at: number,
  result: AttemptResult,
  next: Pick<NotificationTable, "status" | "next_attempt_at">,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("notification")
      .set({
        ...next,
        attempts: n,
        last_status: result.status,
        last_error: result.error,
        sent_at: result.ok ? at : null,
        updated_at: at,
      })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .where("attempts", "=", n - 1)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    await trx
      .insertInto("notification_attempt")
      .values({
        notification_id: row.id,
        n,
        at: started,
        status: result.status,
        error: result.error,
        duration_ms: Math.max(0, at - started),
      })
      .execute();
    return true;
  });
}

type RoundOutcome = "sent" | "retrying" | "failed" | "lost";

/** One round of attempts on a claimed notification. */
async function runRound(
  db: Db,
  row: NotificationTable,
  webhook: Webhook,
  options: Required<Omit<DeliveryOptions, "signal">> & { signal?: AbortSignal | undefined },
): Promise<RoundOutcome> {
  for (let n = row.attempts + 1; ; n += 1) {
    const started = options.now();
    const result = await attempt(row, webhook, options.post, options.now);
    const at = options.now();
    if (result.ok) {
      const kept = await record(db, row, n, started, at, result, {
        status: "sent",
        next_attempt_at: null,
      });
      return kept ? "sent" : "lost";
    }
    const decision = afterFailure(n, row.created_at, at);
    const next =
      decision.kind === "give-up"
        ? { status: "failed" as const, next_attempt_at: null }
        : decision.kind === "later"
          ? { status: "pending" as const, next_attempt_at: decision.at }
          : // Still this sender's: the claim covers the pause and the next attempt.
            { status: "pending" as const, next_attempt_at: at + CLAIM_MS };
    if (!(await record(db, row, n, started, at, result, next))) return "lost";
    if (decision.kind === "give-up") return "failed";
    if (decision.kind === "later") return "retrying";
    if (options.signal?.aborted) return "retrying";
    await options.sleep(decision.delayMs);
  }
}

/** Gives up notifications for a webhook no longer configured, once their day is over. */
async function failOrphans(db: Db, configured: WebhookName[], now: number): Promise<number> {
  const orphans = await db
    .updateTable("notification")
    .set({
      status: "failed",
      next_attempt_at: null,
      last_error: "its webhook is no longer configured",
      updated_at: now,
    })
    .where("status", "=", "pending")
    .where("created_at", "<", now - GIVE_UP_AFTER_MS)
    .$if(configured.length > 0, (q) => q.where("target", "not in", configured))
    .executeTakeFirst();
  return Number(orphans.numUpdatedRows);
}

/**
 * When the earliest waiting notification is due. A webhook whose round failed in this run is not
 * tried again before a round's backoff, even for its notifications that were due already.
 */
async function nextDue(
  db: Db,
  configured: WebhookName[],
  open: ReadonlySet<WebhookName>,
  now: number,
): Promise<number | null> {
  if (configured.length === 0) return null;
  const rows = await db
    .selectFrom("notification")
    .select(["target", (eb) => eb.fn.min("next_attempt_at").as("at")])
    .where("status", "=", "pending")
    .where("target", "in", configured)
    .groupBy("target")
    .execute();
  const times = rows
    .filter((row) => row.at !== null)
    .map((row) =>
      open.has(row.target)
        ? Number(row.at)
        : Math.max(Number(row.at), now + FIRST_ROUND_BACKOFF_MS),
    );
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * Posts every due notification for the configured webhooks, oldest first, until none is due or
 * `signal` aborts. A webhook whose round fails is left alone for the rest of the run: its other
 * notifications wait for the next run rather than each spend a round on it.
 */
export async function deliverDueNotifications(
  db: Db,
  webhooks: Webhooks,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const settings = {
    now: options.now ?? Date.now,
    post: options.post ?? postJson,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    signal: options.signal,
  };
  const configured = (Object.keys(webhooks) as WebhookName[]).filter((name) => webhooks[name]);
  const report: DeliveryReport = {
    sent: 0,
    retrying: 0,
    failed: await failOrphans(db, configured, settings.now()),
    nextDueAt: null,
  };
  const open = new Set(configured);
  while (open.size > 0 && !settings.signal?.aborted) {
    const due = await db
      .selectFrom("notification")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", settings.now())
      .where("target", "in", [...open])
      .orderBy("next_attempt_at")
      .orderBy("created_at")
      .limit(BATCH)
      .execute();
    if (due.length === 0) break;
    for (const row of due) {
      if (!open.has(row.target) || settings.signal?.aborted) continue;
      if (!(await claim(db, row, settings.now()))) continue;
      const outcome = await runRound(db, row, webhooks[row.target]!, settings);
      if (outcome === "lost") continue;
      report[outcome] += 1;
      if (outcome !== "sent") open.delete(row.target);
    }
  }
  report.nextDueAt = await nextDue(db, configured, open, settings.now());
  return report;
}
