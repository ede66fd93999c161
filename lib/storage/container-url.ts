/*
 * Whether a URL names a blob container the HSM can back up to. Pure: the backup settings and
 * the schedule requests both check it, with the same words.
 */

const CONTAINER_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Why a URL is not a blob container the HSM can write to, or null. HTTPS with the container as
 * its one path segment; plain HTTP only on this machine, where the local Azurite serves
 * path-style URLs (account/container). A SAS never belongs in it: the portal mints one per run.
 */
export function containerUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be the URL of a blob container, such as https://contoso.blob.core.windows.net/hsm-backups";
  }
  if (url.search || url.hash || url.username || url.password)
    return "must be the container's URL alone, without a query (the portal mints the SAS) or credentials";
  const segments = url.pathname.split("/").filter(Boolean);
  const local = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !local)
    return "must be an https URL (http only for the local Azurite on 127.0.0.1)";
  if (segments.length !== (local ? 2 : 1))
    return local
      ? "must be a path-style Azurite URL: http://127.0.0.1:10000/<account>/<container>"
      : "must name one container: https://<account>.blob.core.windows.net/<container>";
  if (!local && !url.hostname.includes(".blob."))
    return "must be a Blob Storage endpoint (<account>.blob.core.windows.net)";
  if (!CONTAINER_NAME.test(segments.at(-1)!))
    return "the container name is 3 to 63 lower-case letters, digits and single hyphens";
  return null;
}
