/**
 * A signed-in browser session (backend-for-frontend): the browser holds only a random token in
 * an HttpOnly cookie; this row holds who it is and MSAL's token cache, sealed with the session
 * keys. The primary key is the SHA-256 of the cookie token, so the table alone cannot be used
 * to impersonate anyone.
 */
export interface SessionTable {
  id: string;
  /** Shown to the user to list and end their sessions; never the cookie token or its hash. */
  public_id: string;
  user_oid: string;
  tenant_id: string;
  display_name: string;
  username: string;
  /** JSON array of portal app-role values from the ID token. */
  roles: string;
  /** JSON array of group object ids from the ID token. */
  groups: string;
  /** Epoch milliseconds. */
  created_at: number;
  last_seen_at: number;
  /** Absolute end of the session, whatever its activity. */
  expires_at: number;
  /** When the user last entered credentials, if the identity provider said; null if unknown. */
  auth_time: number | null;
  user_agent: string;
  /** MSAL's serialised token cache, sealed (AES-256-GCM). */
  token_cache: string;
  /** Start (epoch ms) of the minute whose changes `mutation_count` counts. */
  mutation_window_start: number;
  mutation_count: number;
}
