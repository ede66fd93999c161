import { randomBytes } from "node:crypto";
import { ContainerClient, RestError } from "@azure/storage-blob";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { z } from "zod";

import type { HsmContext } from "../context";
import { conflict } from "../errors";
import { exportKey, importBackup, keyBackupSchema } from "../keys/key-backup";
import type { RoleDefinitionProperties } from "../rbac/builtin-roles";
import { seal, unseal } from "../seal";
import * as keyStore from "../store/keys";
import * as rbacStore from "../store/rbac";

/*
 * Full backup, full restore and selective key restore: long-running jobs. The backup is one blob,
 * `mhsm-{name}-{yyyyMMddHHmmssSSS}/backup.blob`, holding every live key and version, the role
 * assignments and custom roles, sealed with the HSM's security-domain key. One job at a time.
 */

export type JobKind = "backup" | "restore" | "selective-restore";

export interface JobRow {
  hsm: string;
  job_id: string;
  kind: JobKind;
  status: "InProgress" | "Succeeded" | "Failed";
  status_details: string | null;
  error: string | null;
  start_time: number;
  end_time: number | null;
  container_uri: string | null;
}

export interface StorageTarget {
  storageResourceUri: string;
  token?: string;
}

const BLOB_NAME = "backup.blob";

const backupSchema = z.object({
  format: z.literal("keyward-emulator-full-backup/1"),
  hsm: z.string(),
  keys: z.array(keyBackupSchema),
  roleAssignments: z.array(
    z.object({
      name: z.string(),
      scope: z.string(),
      roleDefinitionId: z.string(),
      principalId: z.string(),
    }),
  ),
  customRoles: z.array(z.object({ name: z.string(), properties: z.unknown() })),
});

export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function findJob(ctx: HsmContext, jobId: string): JobRow | undefined {
  return ctx.db
    .prepare("select * from job where hsm = ? and job_id = ?")
    .get(ctx.config.name, jobId) as JobRow | undefined;
}

/** Jobs left running when the emulator stopped can never finish: report them as failed. */
export function failInterruptedJobs(ctx: HsmContext): void {
  ctx.db
    .prepare(
      "update job set status = 'Failed', end_time = ?, error = ? where hsm = ? and status = 'InProgress'",
    )
    .run(
      ctx.clock.nowSeconds(),
      JSON.stringify({
        code: "Interrupted",
        message: "The HSM restarted while the operation ran.",
      }),
      ctx.config.name,
    );
}

// A few quick retries, not the SDK's default (four tries over about half a minute): a test of
// storage going away waits for the job to fail, and only that it fails is emulated.
const STORAGE_RETRIES = { maxTries: 3, retryDelayInMs: 250, maxRetryDelayInMs: 1_000 };

function container(target: StorageTarget): ContainerClient {
  const base = target.storageResourceUri.replace(/\/+$/, "");
  return new ContainerClient(
    target.token ? `${base}?${target.token.replace(/^\?/, "")}` : base,
    undefined,
    { retryOptions: STORAGE_RETRIES },
  );
}

function storageFailure(error: unknown, target: StorageTarget): JobFailure {
  // A RestError without a status never reached the service (refused, reset): unreachable.
  if (error instanceof RestError && error.statusCode !== undefined) {
    const code = error.code ?? `HTTP${error.statusCode}`;
    if (error.statusCode === 404)
      return new JobFailure(
        code,
        `The storage container ${target.storageResourceUri} or the backup in it does not exist.`,
      );
    if (error.statusCode === 403)
      return new JobFailure(
        code,
        `The SAS token does not grant access to ${target.storageResourceUri}.`,
      );
    return new JobFailure(code, `Storage answered ${error.statusCode}: ${error.message}`);
  }
  if (error instanceof JobFailure) return error;
  return new JobFailure(
    "StorageUnreachable",
    `Cannot reach the storage account: ${(error as Error).message}`,
  );
}

function startJob(ctx: HsmContext, kind: JobKind, details: string): JobRow {
  const running = ctx.db
    .prepare("select job_id from job where hsm = ? and status = 'InProgress'")
    .get(ctx.config.name);
  if (running)
    throw conflict(
      "A backup or restore operation is already in progress on this HSM; wait for it to finish.",
    );
  const job: JobRow = {
    hsm: ctx.config.name,
    job_id: randomBytes(16).toString("hex"),
    kind,
    status: "InProgress",
    status_details: details,
    error: null,
    start_time: ctx.clock.nowSeconds(),
    end_time: null,
    container_uri: null,
  };
  ctx.db
    .prepare(
      "insert into job (hsm, job_id, kind, status, status_details, error, start_time, end_time, container_uri) values (@hsm, @job_id, @kind, @status, @status_details, @error, @start_time, @end_time, @container_uri)",
    )
    .run(job);
  return job;
}

function finish(
  ctx: HsmContext,
  job: JobRow,
  outcome: { error?: JobFailure; containerUri?: string; details: string },
) {
  ctx.db
    .prepare(
      "update job set status = ?, status_details = ?, error = ?, end_time = ?, container_uri = coalesce(?, container_uri) where hsm = ? and job_id = ?",
    )
    .run(
      outcome.error ? "Failed" : "Succeeded",
      outcome.details,
      outcome.error
        ? JSON.stringify({ code: outcome.error.code, message: outcome.error.message })
        : null,
      ctx.clock.nowSeconds(),
      outcome.containerUri ?? null,
      ctx.config.name,
      job.job_id,
    );
}

/** Runs `work` after the response is sent, recording its outcome on the job. */
function runInBackground(
  ctx: HsmContext,
  job: JobRow,
  target: StorageTarget,
  done: string,
  work: () => Promise<string | undefined>,
) {
  setImmediate(() => {
    work()
      .then((containerUri) => finish(ctx, job, { details: done, containerUri }))
      .catch((error: unknown) => {
        const failure = storageFailure(error, target);
        ctx.log.warn({ job: job.job_id, code: failure.code }, failure.message);
        finish(ctx, job, { error: failure, details: failure.message });
      });
  });
}

async function readBackup(
  ctx: HsmContext,
  target: StorageTarget,
  folder: string,
): Promise<z.infer<typeof backupSchema>> {
  const blob = container(target).getBlobClient(`${folder.replace(/^\/+|\/+$/g, "")}/${BLOB_NAME}`);
  const text = (await blob.downloadToBuffer()).toString("utf8");
  const opened = unseal(text, ctx.securityDomainKey, "full-backup");
  if (!opened)
    throw new JobFailure(
      "SecurityDomainMismatch",
      "The backup was made by an HSM with another security domain, or it is corrupt.",
    );
  return backupSchema.parse(JSON.parse(opened));
}

export function startFullBackup(ctx: HsmContext, target: StorageTarget): JobRow {
  const job = startJob(ctx, "backup", "Full backup is in progress");
  runInBackground(ctx, job, target, "Full backup completed", async () => {
    const client = container(target);
    const folder = `mhsm-${ctx.config.name}-${format(new TZDate(ctx.clock.now(), "UTC"), "yyyyMMddHHmmssSSS")}`;
    const keys = (
      ctx.db
        .prepare("select name from key where hsm = ? and deleted_date is null order by name_lower")
        .all(ctx.config.name) as { name: string }[]
    ).map(({ name }) => exportKey(ctx, name));
    const backup = {
      format: "keyward-emulator-full-backup/1",
      hsm: ctx.config.name,
      keys,
      roleAssignments: rbacStore.listAssignments(ctx.db, ctx.config.name),
      customRoles: rbacStore.listCustomRoles(ctx.db, ctx.config.name),
    };
    const sealed = seal(JSON.stringify(backup), ctx.securityDomainKey, "full-backup");
    await client
      .getBlockBlobClient(`${folder}/${BLOB_NAME}`)
      .upload(sealed, Buffer.byteLength(sealed));
    return `${target.storageResourceUri.replace(/\/+$/, "")}/${folder}`;
  });
  return job;
}

export function startFullRestore(ctx: HsmContext, target: StorageTarget, folder: string): JobRow {
  const job = startJob(ctx, "restore", "Full restore is in progress");
  runInBackground(ctx, job, target, "Full restore completed", async () => {
    const backup = await readBackup(ctx, target, folder);
    const hsm = ctx.config.name;
    ctx.db.transaction(() => {
      ctx.db.prepare("delete from key_version where hsm = ?").run(hsm);
      ctx.db.prepare("delete from key where hsm = ?").run(hsm);
      rbacStore.deleteAllAssignments(ctx.db, hsm);
      for (const role of rbacStore.listCustomRoles(ctx.db, hsm))
        rbacStore.deleteCustomRole(ctx.db, hsm, role.name);
      for (const role of backup.customRoles)
        rbacStore.upsertCustomRole(
          ctx.db,
          hsm,
          role.name,
          role.properties as RoleDefinitionProperties,
        );
      for (const assignment of backup.roleAssignments)
        rbacStore.insertAssignment(ctx.db, hsm, assignment, ctx.clock.now());
      for (const key of backup.keys) importBackup(ctx, key);
    })();
    ctx.access.invalidate();
    return undefined;
  });
  return job;
}

export function startSelectiveRestore(
  ctx: HsmContext,
  target: StorageTarget,
  folder: string,
  keyName: string,
): JobRow {
  const existing = keyStore.findKey(ctx.db, ctx.config.name, keyName);
  if (existing)
    throw conflict(
      existing.deleted_date === null
        ? `Key ${existing.name} exists; a selective restore needs a purged key.`
        : `Key ${existing.name} is soft-deleted: recover it, or purge it before a selective restore.`,
    );
  const job = startJob(ctx, "selective-restore", "Selective Key restore is in progress");
  runInBackground(ctx, job, target, "Selective Key restore completed", async () => {
    const backup = await readBackup(ctx, target, folder);
    const key = backup.keys.find((k) => k.name.toLowerCase() === keyName.toLowerCase());
    if (!key) throw new JobFailure("KeyNotFound", `The backup holds no key named ${keyName}.`);
    importBackup(ctx, key);
    return undefined;
  });
  return job;
}

/**
 * Checks that the container exists and the SAS lets this HSM write and delete in it (a container
 * SAS cannot read the container's properties): writes a probe blob and removes it.
 */
export function startPreCheck(
  ctx: HsmContext,
  target: StorageTarget,
  kind: "backup" | "restore",
): JobRow {
  const job = startJob(
    ctx,
    kind,
    `Pre ${kind === "backup" ? "backup" : "Full restore"} operation is in progress`,
  );
  runInBackground(ctx, job, target, `Pre ${kind} check completed`, async () => {
    const probe = container(target).getBlockBlobClient(
      `mhsm-${ctx.config.name}-precheck-${job.job_id}`,
    );
    await probe.upload("probe", 5);
    await probe.delete();
    return undefined;
  });
  return job;
}
