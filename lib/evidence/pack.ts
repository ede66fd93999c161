import { CompactSign } from "jose";

import type { AccessModel } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import { accessMatrixCsv } from "@/lib/evidence/access-matrix";
import { inventoryCsv, rotationComplianceCsv } from "@/lib/evidence/key-files";
import {
  auditExtractLines,
  evidenceAccessReviews,
  evidenceBackupRuns,
  evidenceChanges,
  evidenceKeys,
  evidenceOutOfBand,
  type Period,
} from "@/lib/evidence/load";
import {
  MANIFEST_ALG,
  MANIFEST_NAME,
  MANIFEST_TYP,
  manifestBytes,
  readmeText,
  SIGNATURE_NAME,
  type Manifest,
  type ManifestFile,
} from "@/lib/evidence/manifest";
import {
  accessReviewsCsv,
  backupDaysCsv,
  backupRunsCsv,
  changesCsv,
  outOfBandCsv,
} from "@/lib/evidence/record-files";
import { ZipWriter, type FileSource } from "@/lib/evidence/zip-writer";
import { findingsJson } from "@/lib/sod/export";
import type { Finding } from "@/lib/sod/types";

/*
 * The pack's bytes, file after file: each section is read only when its turn comes, so memory
 * holds one section at most (the audit extract not even that). The access state and the chain
 * verification come from the caller: the service reads the live ones, tests their own.
 */

export interface PackPlan {
  db: Db;
  period: Period;
  hsms: string[];
  now: number;
  signer: { kid: string; privateKey: CryptoKey };
  base: Omit<Manifest, "files">;
  sod: () => Promise<{ model: AccessModel; findings: Finding[]; now: number }>;
  verification: () => Promise<object>;
}

export async function* packChunks(
  plan: PackPlan,
  files: ManifestFile[],
): AsyncGenerator<Uint8Array, void> {
  const { db, period, hsms, now } = plan;
  const writer = new ZipWriter(now);
  async function* add(
    name: string,
    source: () => Promise<FileSource> | FileSource,
  ): AsyncGenerator<Uint8Array, void> {
    files.push(yield* writer.add(name, await source()));
  }
  yield* add("inventory.csv", () => inventoryCsv(evidenceKeys(db, hsms), now));
  yield* add("rotation-compliance.csv", () => rotationComplianceCsv(evidenceKeys(db, hsms), now));
  const sod = await plan.sod();
  yield* add("access-matrix.csv", () => [accessMatrixCsv(sod.model, hsms)]);
  const findings = sod.findings.filter((f) => f.hsm === null || hsms.includes(f.hsm));
  yield* add("sod-findings.json", () => [
    `${JSON.stringify(findingsJson(findings, sod.now), null, 2)}\n`,
  ]);
  yield* add("changes.csv", () => changesCsv(evidenceChanges(db, period, hsms)));
  const backups = await evidenceBackupRuns(db, period, hsms);
  yield* add("backups.csv", () => [backupRunsCsv(backups.runs)]);
  yield* add("backup-days.csv", () => [
    backupDaysCsv([...backups.goodBefore, ...backups.runs], hsms, period, now),
  ]);
  yield* add("out-of-band.csv", async () => [
    outOfBandCsv(await evidenceOutOfBand(db, period, hsms)),
  ]);
  yield* add("access-reviews.csv", async () => [
    accessReviewsCsv(await evidenceAccessReviews(db, period, hsms)),
  ]);
  yield* add("audit-extract.jsonl", () => auditExtractLines(db, period));
  yield* add("audit-verification.json", async () => [
    `${JSON.stringify(await plan.verification(), null, 2)}\n`,
  ]);
  yield* add("README.txt", () => [readmeText(plan.base, plan.signer.kid)]);
  const manifest = manifestBytes({ ...plan.base, files });
  yield* writer.add(MANIFEST_NAME, [manifest]);
  const signature = await new CompactSign(manifest)
    .setProtectedHeader({ alg: MANIFEST_ALG, kid: plan.signer.kid, typ: MANIFEST_TYP })
    .sign(plan.signer.privateKey);
  yield* writer.add(SIGNATURE_NAME, [signature]);
  yield* writer.finish();
}
