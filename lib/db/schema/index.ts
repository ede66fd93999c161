import type { LeaseTable } from "@/lib/db/schema/lease/table";
import type { SessionTable } from "@/lib/db/schema/session/table";

/*
 * The portal's tables, identical on SQLite and PostgreSQL. Conventions that keep repository
 * code dialect-free: timestamps are bigint epoch milliseconds (read back as numbers on both),
 * flags are integers 0/1, JSON documents are text parsed with zod.
 */
export interface Database {
  lease: LeaseTable;
  session: SessionTable;
}
