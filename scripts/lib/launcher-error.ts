/** A failure of the launcher that its message fully explains: printed without a stack trace. */
export class LauncherError extends Error {
  override name = "LauncherError";
}
