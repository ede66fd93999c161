import type { AccessReviewItemTable, AccessReviewTable } from "@/lib/db/schema/access-review/table";
import type {
  AuditEventTable,
  AuditHeadTable,
  AuditVerificationTable,
} from "@/lib/db/schema/audit/table";
import type { BackupScheduleTable } from "@/lib/db/schema/backup-schedule/table";
import type {
  BackupCatalogueAccessTable,
  BackupCatalogueKeyTable,
  BackupFreshnessAlertTable,
  BackupRunTable,
} from "@/lib/db/schema/backup/table";
import type { CalendarFeedTable, ReminderDeliveryTable } from "@/lib/db/schema/calendar/table";
import type {
  DirectoryMemberTable,
  DirectoryObjectTable,
  DirectoryPortalRoleTable,
  DirectoryStatusTable,
} from "@/lib/db/schema/directory/table";
import type { RoleGrantTable } from "@/lib/db/schema/grant/table";
import type {
  InventoryGenerationTable,
  InventoryHsmTable,
  InventoryKeyTable,
  InventoryKeyTagTable,
  InventoryRoleAssignmentTable,
  InventoryRoleDefinitionTable,
} from "@/lib/db/schema/inventory/table";
import type { LeaseTable } from "@/lib/db/schema/lease/table";
import type { NotificationAttemptTable, NotificationTable } from "@/lib/db/schema/notify/table";
import type { OutOfBandChangeTable } from "@/lib/db/schema/out-of-band/table";
import type {
  ApprovalPolicyTable,
  ChangeRequestDecisionTable,
  ChangeRequestEventTable,
  ChangeRequestItemTable,
  ChangeRequestTable,
} from "@/lib/db/schema/requests/table";
import type { SessionTable } from "@/lib/db/schema/session/table";
import type { SodRuleSettingTable, SodSettingChangeTable } from "@/lib/db/schema/sod/table";
import type { SyncRunTable } from "@/lib/db/schema/sync-run/table";
import type { KeyTemplateTable } from "@/lib/db/schema/template/table";

/*
 * The portal's tables, identical on SQLite and PostgreSQL. Conventions that keep repository
 * code dialect-free: timestamps are bigint epoch milliseconds (read back as numbers on both),
 * flags are integers 0/1, JSON documents are text parsed with zod.
 */
export interface Database {
  lease: LeaseTable;
  change_request: ChangeRequestTable;
  change_request_item: ChangeRequestItemTable;
  change_request_decision: ChangeRequestDecisionTable;
  change_request_event: ChangeRequestEventTable;
  approval_policy: ApprovalPolicyTable;
  session: SessionTable;
  inventory_hsm: InventoryHsmTable;
  inventory_key: InventoryKeyTable;
  inventory_key_tag: InventoryKeyTagTable;
  inventory_generation: InventoryGenerationTable;
  inventory_role_assignment: InventoryRoleAssignmentTable;
  inventory_role_definition: InventoryRoleDefinitionTable;
  sync_run: SyncRunTable;
  directory_object: DirectoryObjectTable;
  directory_member: DirectoryMemberTable;
  directory_portal_role: DirectoryPortalRoleTable;
  directory_status: DirectoryStatusTable;
  sod_rule_setting: SodRuleSettingTable;
  sod_setting_change: SodSettingChangeTable;
  calendar_feed: CalendarFeedTable;
  reminder_delivery: ReminderDeliveryTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  audit_verification: AuditVerificationTable;
  notification: NotificationTable;
  notification_attempt: NotificationAttemptTable;
  backup_run: BackupRunTable;
  backup_catalogue_key: BackupCatalogueKeyTable;
  backup_catalogue_access: BackupCatalogueAccessTable;
  backup_schedule: BackupScheduleTable;
  backup_freshness_alert: BackupFreshnessAlertTable;
  key_template: KeyTemplateTable;
  role_grant: RoleGrantTable;
  out_of_band_change: OutOfBandChangeTable;
  access_review: AccessReviewTable;
  access_review_item: AccessReviewItemTable;
}
