import { z } from "zod";

import type { BackupHoldingKey } from "@/lib/backup/catalogue-store";
import type { BackupRun } from "@/lib/backup/runs";
import type { RunCatalogue } from "@/lib/backup/service";
import type { BackupRunState } from "@/lib/db/schema/backup/table";
import { hsmName, keyName } from "@/lib/validation/primitives";

/*
 * The backup API's inputs and answers as zod schemas: the routes parse with the inputs, and the
 * OpenAPI document (public/openapi.json) publishes both. Times are ISO 8601 in UTC.
 */

/** Every state a run can be in; a Record, so that a state added to the table must be added here. */
const STATES: Record<BackupRunState, true> = {
  running: true,
  succeeded: true,
  failed: true,
  missed: true,
  interrupted: true,
};
export const BACKUP_RUN_STATES = Object.keys(STATES) as [BackupRunState, ...BackupRunState[]];

export const MAX_RUN_LIMIT = 200;

export const backUpNowBody = z
  .strictObject({ hsm: hsmName.meta({ description: "The HSM to back up now" }) })
  .meta({ id: "BackUpNow" });

export const runFilterQuery = z.strictObject({
  hsm: hsmName.optional().meta({ description: "Only this HSM's runs" }),
  outcome: z
    .enum(BACKUP_RUN_STATES, { message: `must be one of ${BACKUP_RUN_STATES.join(", ")}` })
    .optional()
    .meta({ description: "Only runs in this state" }),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_RUN_LIMIT, `must be at most ${MAX_RUN_LIMIT}`)
    .optional()
    .meta({ description: "At most this many runs (default 50)" }),
});

export const runParams = z.strictObject({ id: z.uuid({ message: "must be a run id (a UUID)" }) });

export const catalogueQuery = z.strictObject({
  key: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(127, "must be at most 127 characters")
    .optional()
    .meta({
      description:
        "Only the keys whose name contains this text, in any case (a case-insensitive substring match)",
    }),
});

export const keyParams = z.strictObject({ hsm: hsmName, name: keyName });

const iso = z.iso.datetime();
const isoOf = (time: number) => new Date(time).toISOString();
const isoOrNull = (time: number | null) => (time === null ? null : isoOf(time));

export const backupRunShape = z
  .object({
    id: z.uuid(),
    hsm: z.string(),
    trigger: z.enum(["manual", "schedule", "safety"]),
    scheduleName: z.string().nullable(),
    scheduledFor: iso.nullable().meta({ description: "When a scheduled run was due" }),
    requestedBy: z
      .object({ type: z.string(), id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: "Who asked for a manual or safety backup" }),
    state: z.enum(BACKUP_RUN_STATES),
    containerUrl: z.string().meta({ description: "The container written to (never with a SAS)" }),
    jobId: z.string().nullable().meta({ description: "The HSM's job id, once it accepted" }),
    folderUrl: z
      .string()
      .nullable()
      .meta({ description: "The backup folder as the HSM reported it, once succeeded" }),
    error: z.string().nullable().meta({ description: "Why the run did not succeed, in words" }),
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
    durationMs: z.number().int().nullable(),
    cataloguedAt: iso.nullable(),
    folderDeletedAt: iso
      .nullable()
      .meta({ description: "When retention deleted the folder (its catalogue is gone)" }),
  })
  .meta({ id: "BackupRun" });

export const backupRunListShape = z
  .object({ runs: z.array(backupRunShape) })
  .meta({ id: "BackupRunList", description: "Runs, newest first" });

const versionShape = z
  .object({
    version: z.string(),
    createdOn: iso,
    enabled: z.boolean(),
    expiresOn: iso.nullable(),
  })
  .meta({ id: "BackupKeyVersion" });

export const runCatalogueShape = z
  .object({
    run: backupRunShape,
    keys: z.array(
      z.object({
        name: z.string(),
        versions: z.array(versionShape).meta({ description: "Newest first" }),
        kty: z.string().nullable(),
        enabled: z.boolean(),
        tags: z.record(z.string(), z.string()),
      }),
    ),
    access: z
      .object({
        roleAssignments: z.array(
          z.object({
            name: z.string(),
            scope: z.string(),
            roleDefinitionId: z.string(),
            principalId: z.string(),
          }),
        ),
        customRoles: z.array(
          z.object({
            id: z.string(),
            roleName: z.string(),
            dataActions: z.array(z.string()),
            notDataActions: z.array(z.string()),
          }),
        ),
      })
      .meta({ description: "The role assignments and custom roles recorded with the backup" }),
  })
  .meta({ id: "BackupCatalogue", description: "What a good backup holds, keys by name" });

export const backupsHoldingKeyShape = z
  .object({
    hsm: z.string(),
    name: z.string(),
    backups: z.array(
      z.object({
        runId: z.uuid(),
        finishedAt: iso,
        folderUrl: z.string(),
        versions: z.array(versionShape),
      }),
    ),
  })
  .meta({
    id: "BackupsHoldingKey",
    description: "The good backups, folders still present, that hold the key; newest first",
  });

export function apiBackupRun(run: BackupRun): z.infer<typeof backupRunShape> {
  return {
    id: run.id,
    hsm: run.hsm,
    trigger: run.trigger,
    scheduleName: run.scheduleName,
    scheduledFor: isoOrNull(run.scheduledFor),
    requestedBy: run.requestedBy,
    state: run.state,
    containerUrl: run.containerUrl,
    jobId: run.jobId,
    folderUrl: run.folderUrl,
    error: run.error,
    startedAt: isoOrNull(run.startedAt),
    finishedAt: isoOrNull(run.finishedAt),
    durationMs: run.durationMs,
    cataloguedAt: isoOrNull(run.cataloguedAt),
    folderDeletedAt: isoOrNull(run.folderDeletedAt),
  };
}

const apiVersion = (v: {
  version: string;
  createdOn: number;
  enabled: boolean;
  expiresOn: number | null;
}) => ({
  version: v.version,
  createdOn: isoOf(v.createdOn),
  enabled: v.enabled,
  expiresOn: isoOrNull(v.expiresOn),
});

export function apiRunCatalogue({
  run,
  catalogue,
}: RunCatalogue): z.infer<typeof runCatalogueShape> {
  return {
    run: apiBackupRun(run),
    keys: catalogue.keys.map((key) => ({
      name: key.name,
      versions: key.versions.map(apiVersion),
      kty: key.attributes.kty,
      enabled: key.attributes.enabled,
      tags: key.tags,
    })),
    access: catalogue.access,
  };
}

export function apiBackupsHoldingKey(
  hsm: string,
  name: string,
  backups: BackupHoldingKey[],
): z.infer<typeof backupsHoldingKeyShape> {
  return {
    hsm,
    name,
    backups: backups.map((b) => ({
      runId: b.runId,
      finishedAt: isoOf(b.finishedAt),
      folderUrl: b.folderUrl,
      versions: b.versions.map(apiVersion),
    })),
  };
}
