import "server-only";

import { recordAuditEvent } from "@/lib/audit/service";
import { getAuditKeys } from "@/lib/audit/signing-key";
import type { AuditContext, AuditEvent } from "@/lib/audit/types";
import { describeVerification, verifyAuditLog } from "@/lib/audit/verification";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { MANIFEST_FORMAT, type Manifest, type ManifestFile } from "@/lib/evidence/manifest";
import { packChunks } from "@/lib/evidence/pack";
import { packFileName, packHsms, type EvidenceQuery } from "@/lib/evidence/period";
import { configuredHsms } from "@/lib/hsm/targets";
import { pullStream } from "@/lib/http/pull-stream";
import type { Logger } from "@/lib/log/logger";
import { computeSodState } from "@/lib/sod/service";
import { KEYWARD_VERSION } from "@/lib/version";

/*
 * The evidence pack: every file an auditor asks for, over a period and a set of HSMs, in one
 * ZIP streamed as it is built, with a manifest of every file's SHA-256 signed by the audit
 * signing key. The export is recorded first (its event is named in the manifest); a pack that
 * fails half-way is recorded as failed, with how far it got.
 */

export const EVIDENCE_EXPORT_ACTION = "evidence.export";

const iso = (at: number) => new Date(at).toISOString();

async function signingKey() {
  try {
    return (await getAuditKeys()).signer;
  } catch (error) {
    throw new AppError(
      "unavailable",
      `The evidence pack cannot be signed: the audit signing key is not available (${(error as Error).message}).`,
      { cause: error },
    );
  }
}

export interface EvidenceDownload {
  fileName: string;
  stream: ReadableStream<Uint8Array>;
  event: AuditEvent;
}

/**
 * Records the export and answers the pack as a stream; the files are read and written only as
 * the client downloads; the server log hears how the download ended.
 */
export async function evidencePack(
  session: PortalSession,
  query: EvidenceQuery,
  audit: AuditContext,
  log: Logger,
): Promise<EvidenceDownload> {
  const env = getEnv();
  const { hsms, unknown } = packHsms(
    query.hsms,
    configuredHsms(env).map((h) => h.name),
  );
  if (unknown.length > 0)
    throw new AppError("not_found", `There is no HSM ${unknown.join(", ")} in this portal.`);
  const signer = await signingKey();
  const db = await getDb();
  const period = { from: query.from, to: query.to };
  const target = { kind: "evidence-pack", from: iso(period.from), to: iso(period.to) };
  const event = await recordAuditEvent(audit, { target, detail: { hsms } }, db);
  const now = event.at;
  const base: Omit<Manifest, "files"> = {
    format: MANIFEST_FORMAT,
    generatedAt: iso(now),
    period: { from: iso(period.from), to: iso(period.to) },
    hsms,
    portal: { version: KEYWARD_VERSION, url: env.publicUrl },
    exporter: { id: session.userOid, name: session.displayName },
    auditEvent: { seq: event.seq, hash: event.hash },
  };
  const files: ManifestFile[] = [];
  const plan = {
    db,
    period,
    hsms,
    now,
    signer,
    base,
    sod: computeSodState,
    verification: async () => describeVerification(await verifyAuditLog(db)),
  };
  const stream = pullStream(packChunks(plan, files), (error) => {
    if (!error) {
      log.info({ files: files.length, user: session.userOid }, "evidence pack exported");
      return;
    }
    log.warn(
      { err: error, files: files.length, user: session.userOid },
      "evidence pack ended early",
    );
    void recordAuditEvent(
      audit,
      {
        target,
        outcome: "failed",
        detail: {
          exportEvent: event.seq,
          filesWritten: files.map((f) => f.name),
          reason: (error as Error).message,
        },
      },
      db,
    ).catch((auditError: unknown) =>
      log.error({ err: auditError }, "the audit log could not record a failed evidence export"),
    );
  });
  return { fileName: packFileName(period), stream, event };
}

export interface PastExport {
  seq: number;
  at: number;
  by: string;
  from: string;
  to: string;
  hsms: string[];
  outcome: string;
}

/** The latest exports, from the audit log itself: what /evidence lists as "last packs". */
export async function recentExports(limit = 10): Promise<PastExport[]> {
  const rows = await (
    await getDb()
  )
    .selectFrom("audit_event")
    .select(["seq", "at", "actor", "target", "detail", "outcome"])
    .where("action", "=", EVIDENCE_EXPORT_ACTION)
    .orderBy("seq", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const target = JSON.parse(row.target) as { from?: string; to?: string };
    const detail = JSON.parse(row.detail) as { hsms?: string[] };
    return {
      seq: row.seq,
      at: row.at,
      by: (JSON.parse(row.actor) as { name: string }).name,
      from: target.from ?? "",
      to: target.to ?? "",
      hsms: detail.hsms ?? [],
      outcome: row.outcome,
    };
  });
}

/** What /evidence shows: the HSMs to choose from, the latest exports, and the time it was read. */
export async function evidencePageData() {
  return {
    hsms: configuredHsms().map((h) => h.name),
    exports: await recentExports(),
    now: Date.now(),
  };
}
