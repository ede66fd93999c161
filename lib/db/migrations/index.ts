import type { Migration, MigrationProvider } from "kysely";

import * as leases from "@/lib/db/migrations/0001-leases";
import * as sessions from "@/lib/db/migrations/0002-sessions";
import * as inventory from "@/lib/db/migrations/0003-inventory";
import * as directorySod from "@/lib/db/migrations/0004-directory-sod";
import * as calendar from "@/lib/db/migrations/0005-calendar";
import * as liveFamilyExpiry from "@/lib/db/migrations/0006-live-family-expiry";
import * as calendarFeedNames from "@/lib/db/migrations/0007-calendar-feed-names";
import * as audit from "@/lib/db/migrations/0008-audit";
import * as auditSearch from "@/lib/db/migrations/0009-audit-search";
import * as requests from "@/lib/db/migrations/0010-requests";
import * as notifications from "@/lib/db/migrations/0011-notifications";
import * as roleDescription from "@/lib/db/migrations/0012-role-description";
import * as backups from "@/lib/db/migrations/0013-backups";
import * as backupSchedules from "@/lib/db/migrations/0014-backup-schedules";
import * as backupFreshness from "@/lib/db/migrations/0015-backup-freshness";
import * as keyTemplates from "@/lib/db/migrations/0016-key-templates";
import * as roleGrants from "@/lib/db/migrations/0017-role-grants";
import * as outOfBand from "@/lib/db/migrations/0018-out-of-band";
import * as accessReviews from "@/lib/db/migrations/0019-access-reviews";
import * as sessionMutationWindow from "@/lib/db/migrations/0020-session-mutation-window";
import * as calendarFeedOwnerSignIn from "@/lib/db/migrations/0021-calendar-feed-owner-sign-in";
import * as inventoryGeneration from "@/lib/db/migrations/0022-inventory-generation";

/*
 * Migrations are imported statically: a provider that reads a directory at run time does not
 * survive bundling. Append new migrations here, never rename or edit a shipped one.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001-leases": leases,
  "0002-sessions": sessions,
  "0003-inventory": inventory,
  "0004-directory-sod": directorySod,
  "0005-calendar": calendar,
  "0006-live-family-expiry": liveFamilyExpiry,
  "0007-calendar-feed-names": calendarFeedNames,
  "0008-audit": audit,
  "0009-audit-search": auditSearch,
  "0010-requests": requests,
  "0011-notifications": notifications,
  "0012-role-description": roleDescription,
  "0013-backups": backups,
  "0014-backup-schedules": backupSchedules,
  "0015-backup-freshness": backupFreshness,
  "0016-key-templates": keyTemplates,
  "0017-role-grants": roleGrants,
  "0018-out-of-band": outOfBand,
  "0019-access-reviews": accessReviews,
  "0020-session-mutation-window": sessionMutationWindow,
  "0021-calendar-feed-owner-sign-in": calendarFeedOwnerSignIn,
  "0022-inventory-generation": inventoryGeneration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
