/** A principal as the directory last described it. Times are epoch milliseconds. */
export interface DirectoryObjectTable {
  id: string;
  /** "missing": the directory answered that no such object exists. */
  kind: "user" | "group" | "servicePrincipal" | "missing";
  display_name: string | null;
  /** User principal name, or the application id of a service principal. */
  detail: string | null;
  guest: 0 | 1;
  fetched_at: number;
}

/** Transitive membership of the groups that hold role assignments or portal roles. */
export interface DirectoryMemberTable {
  group_id: string;
  member_id: string;
}

/** Who holds one of the portal's app roles, directly or through a group (direct members). */
export interface DirectoryPortalRoleTable {
  principal_id: string;
  role: string;
  via_group_id: string | null;
}

/** The single row (id 1) recording the last directory refresh. */
export interface DirectoryStatusTable {
  id: number;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
}
