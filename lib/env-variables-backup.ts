import { z } from "zod";

import { containerUrlProblem } from "@/lib/storage/container-url";

/*
 * The settings of backups: where on-demand backups ("Back up now") go, and when one is stale. Kept apart from lib/env-variables.ts only
 * for size; that file spreads them into ENV_VARIABLES, the one list lib/env.ts reads.
 */

export const BACKUP_AUTH_MODES = ["sas", "managed-identity"] as const;
export type BackupAuthMode = (typeof BACKUP_AUTH_MODES)[number];

/** The launcher's Azurite container for the local HSMs' backups. */
export const LOCAL_BACKUP_CONTAINER = "keyward-backups";

/** A container's URL without a query, checked as a schedule's container is. */
const containerUrl = z.string().superRefine((value, ctx) => {
  const problem = containerUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const BACKUP_VARIABLES = [
  {
    name: "KEYWARD_BACKUP_CONTAINER_URL",
    scope: "all",
    description:
      "The blob container that receives every HSM's on-demand backups (Back up now). The portal's application identity reads it, and with `sas` signs each run's SAS with a user delegation key (so it needs Storage Blob Data Contributor there); the HSM writes the backup. Locally the launcher's Azurite holds them in `keyward-backups`; unset in azure mode, Back up now answers that no container is configured.",
    example: "https://contosobackups.blob.core.windows.net/hsm-backups",
    schema: containerUrl,
  },
  {
    name: "KEYWARD_BACKUP_AUTH",
    scope: "all",
    description:
      "How the HSM writes to the backup container: `sas` — the portal mints a container SAS for each run (create, read, write, delete; valid 24 hours), signed with a user delegation key of its identity (locally: Azurite's account key) — or `managed-identity` — the HSM's own user-assigned identity, which needs Storage Blob Data Contributor on the container.",
    example: "managed-identity",
    defaultValue: "sas",
    schema: z.enum(BACKUP_AUTH_MODES, { message: "must be sas or managed-identity" }),
  },
  {
    name: "KEYWARD_BACKUP_STALE_HOURS",
    scope: "all",
    description:
      "Hours after an HSM's last good backup (scheduled, manual or safety) at which the portal calls it stale and posts `keyward.backup.stale` to the notification webhook (`keyward.backup.fresh` once a good backup ends it).",
    example: "50",
    defaultValue: "26",
    schema: z.coerce
      .number()
      .min(1, "must be at least 1 hour")
      .max(24 * 366, "must be at most a year of hours"),
  },
] as const;
