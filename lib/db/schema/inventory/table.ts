/** Sync state of one configured HSM. Times are epoch milliseconds. */
export interface InventoryHsmTable {
  name: string;
  region: string;
  url: string;
  /** "activated", "pending" or "unknown" (the portal may not be allowed to read it). */
  security_domain: string;
  last_success_at: number | null;
  last_full_sync_at: number | null;
  last_attempt_at: number | null;
  /** Why the latest attempt failed; cleared by the next success. */
  last_error: string | null;
  last_error_at: number | null;
}

/** One key as of the last sync: its current version's attributes and what sync read about it. */
export interface InventoryKeyTable {
  hsm: string;
  name_lower: string;
  name: string;
  version: string;
  /** Null until the key's details have been read once. */
  kty: string | null;
  family: "RSA" | "EC" | "oct" | null;
  key_size: number | null;
  curve: string | null;
  /** JSON array. */
  key_ops: string;
  enabled: 0 | 1;
  exportable: 0 | 1;
  managed: 0 | 1;
  not_before: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  recovery_level: string | null;
  /** JSON object. */
  tags: string;
  /** The `owner` tag: the object id of the Entra group that owns the key. */
  owner: string | null;
  version_count: number | null;
  /** JSON RotationPolicyInfo, or null when the key has none. */
  policy: string | null;
  policy_state: "none" | "rotates" | "expiry-only" | "unknown";
  next_rotation_at: number | null;
  deleted_at: number | null;
  scheduled_purge_at: number | null;
  recovery_id: string | null;
  /** When versions, policy and key-scoped assignments were last read. */
  detail_synced_at: number | null;
  /** When the attributes above were read: `updated` has whole seconds, so a change in the same
   *  second as the read cannot be told apart by `updated` alone (see lib/sync/engine.ts). */
  attributes_read_at: number;
  /** Lower-cased name and tag values, for search. */
  search: string;
}

export interface InventoryKeyTagTable {
  hsm: string;
  key_lower: string;
  tag: string;
  value: string;
}

export interface InventoryRoleAssignmentTable {
  hsm: string;
  name: string;
  /** "/", "/keys" or "/keys/{name in lower case}". */
  scope: string;
  /** The key of a key-scoped assignment; null for the HSM-wide ones. */
  key_lower: string | null;
  role_definition_id: string;
  principal_id: string;
}

export interface InventoryRoleDefinitionTable {
  hsm: string;
  id: string;
  role_name: string;
  role_type: string;
  /** Null for rows synced before migration 0012, until the next sync. */
  description: string | null;
  /** JSON arrays. */
  data_actions: string;
  not_data_actions: string;
}

/** One row: moved on by triggers whenever inventory_key changes (migration 0022). */
export interface InventoryGenerationTable {
  id: number;
  generation: number;
}
