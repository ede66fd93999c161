import { z } from "zod";

import {
  findJob,
  startFullBackup,
  startFullRestore,
  startPreCheck,
  startSelectiveRestore,
  type JobRow,
} from "../backup/jobs";
import { badParameter, HsmError } from "../errors";
import type { HsmResponse } from "../http/response";
import { keyParam, pattern, type Route, type RouteContext } from "../http/router";
import { checkKeyName } from "../keys/lifecycle";
import { ACTIONS } from "../rbac/data-actions";
import { parseBody } from "./keys";

/* Full backup, full restore, selective key restore and their status URLs (long-running operations). */

const sasToken = z.object({
  storageResourceUri: z.url("must be the URL of a blob container"),
  token: z.string().optional(),
  useManagedIdentity: z.boolean().optional(),
});

const POLL_SECONDS = "1";

function target(input: z.infer<typeof sasToken>) {
  if (input.useManagedIdentity)
    throw badParameter("The emulator has no managed identity: pass a SAS token for the container.");
  if (!input.token) throw badParameter("A SAS token is required (token).");
  return { storageResourceUri: input.storageResourceUri, token: input.token };
}

function statusBody(job: JobRow) {
  return {
    status: job.status,
    statusDetails: job.status_details,
    error: job.error ? (JSON.parse(job.error) as { code: string; message: string }) : null,
    startTime: job.start_time,
    endTime: job.end_time,
    jobId: job.job_id,
    ...(job.kind === "backup" ? { azureStorageBlobContainerUri: job.container_uri } : {}),
  };
}

function accepted({ request }: RouteContext, job: JobRow, kind: "backup" | "restore"): HsmResponse {
  return {
    status: 202,
    body: statusBody(job),
    headers: {
      "azure-asyncoperation": `${request.origin}/${kind}/${job.job_id}/pending`,
      "retry-after": POLL_SECONDS,
    },
  };
}

function statusRoute(kind: "backup" | "restore", action: string): Route {
  return {
    method: "GET",
    match: pattern(`${kind}/:jobId/pending`),
    operation: kind === "backup" ? "BackupStatus" : "RestoreStatus",
    opClass: "backup",
    action,
    apiVersionOptional: true,
    handle: ({ ctx, params }) => {
      const job = findJob(ctx, params.jobId!);
      const matches = job && (kind === "backup" ? job.kind === "backup" : job.kind !== "backup");
      if (!job || !matches)
        throw new HsmError(404, "NotFound", `There is no ${kind} job ${params.jobId}.`);
      const headers: Record<string, string> =
        job.status === "InProgress" ? { "retry-after": POLL_SECONDS } : {};
      return { status: 200, body: statusBody(job), headers };
    },
  };
}

export const backupRoutes: Route[] = [
  {
    method: "POST",
    match: pattern("backup"),
    operation: "BackupStart",
    opClass: "backup",
    action: ACTIONS.backupStart,
    handle: (rc) =>
      accepted(rc, startFullBackup(rc.ctx, target(parseBody(sasToken, rc.request.body))), "backup"),
  },
  {
    method: "POST",
    match: pattern("prebackup"),
    operation: "PreBackup",
    opClass: "backup",
    action: ACTIONS.backupStart,
    handle: (rc) =>
      accepted(
        rc,
        startPreCheck(rc.ctx, target(parseBody(sasToken, rc.request.body)), "backup"),
        "backup",
      ),
  },
  {
    method: "PUT",
    match: pattern("restore"),
    operation: "RestoreStart",
    opClass: "backup",
    action: ACTIONS.restoreStart,
    handle: (rc) => {
      const body = parseBody(
        z.object({ sasTokenParameters: sasToken, folderToRestore: z.string().min(1) }),
        rc.request.body,
      );
      return accepted(
        rc,
        startFullRestore(rc.ctx, target(body.sasTokenParameters), body.folderToRestore),
        "restore",
      );
    },
  },
  {
    method: "PUT",
    match: pattern("prerestore"),
    operation: "PreRestore",
    opClass: "backup",
    action: ACTIONS.restoreStart,
    handle: (rc) => {
      const body = parseBody(z.object({ sasTokenParameters: sasToken }), rc.request.body);
      return accepted(
        rc,
        startPreCheck(rc.ctx, target(body.sasTokenParameters), "restore"),
        "restore",
      );
    },
  },
  {
    method: "PUT",
    match: pattern("keys/:name/restore"),
    operation: "SelectiveKeyRestore",
    opClass: "backup",
    action: ACTIONS.restoreStart,
    keyName: keyParam,
    handle: (rc) => {
      checkKeyName(rc.params.name!);
      const body = parseBody(
        z.object({ sasTokenParameters: sasToken, folder: z.string().min(1) }),
        rc.request.body,
      );
      return accepted(
        rc,
        startSelectiveRestore(
          rc.ctx,
          target(body.sasTokenParameters),
          body.folder,
          rc.params.name!,
        ),
        "restore",
      );
    },
  },
  statusRoute("backup", ACTIONS.backupStatus),
  statusRoute("restore", ACTIONS.restoreStatus),
];
