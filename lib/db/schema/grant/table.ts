/* Time-limited role grants (migration 0017). Times are epoch milliseconds. */

/** A role assignment the portal made for a while; the expiry job removes it at its end. */
export interface RoleGrantTable {
  hsm: string;
  /** The role assignment's name (a GUID), as the executor made it. */
  assignment: string;
  scope: string;
  role_definition_id: string;
  principal_id: string;
  /** The role-assignment.create request that made it. */
  request_id: string;
  requester_id: string;
  granted_at: number;
  expires_at: number;
  /** lib/grants/lifecycle.ts: active | ending | expired | revoked. */
  state: string;
  /** While `ending`: until when the job that claimed it owns it. */
  claimed_until: number | null;
  ended_at: number | null;
  /** Why the last removal attempt failed; cleared when it succeeds. */
  end_error: string | null;
}
