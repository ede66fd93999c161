/** Names shared by proxy.ts and the server code (no imports, so the proxy stays light). */

/** The session cookie: a random token; the session itself lives in the database. */
export const SESSION_COOKIE = "__Host-keyward-session";
/** The sealed sign-in transaction, set for the ten minutes a sign-in may take. */
export const SIGN_IN_COOKIE = "__Host-keyward-signin";
/** Request header proxy.ts sets to the path being rendered, so layouts can name it in redirects. */
export const PATH_HEADER = "x-keyward-path";
