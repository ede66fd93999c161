/*
 * Where to send a person whose sign-in is too old for what they asked (deciding a change
 * request): the sign-in that demands fresh credentials, then back to the page they were on.
 * Pure, for server pages and client components alike; the sign-in route checks `returnTo` again.
 */

export const REAUTHENTICATE_PATH = "/api/auth/sign-in?reauth=1";

/** `signInUrl` as a problem's extension names it (a path on the portal), with `returnTo` added. */
export function reauthenticationHref(returnTo: string, signInUrl: string = REAUTHENTICATE_PATH) {
  const url = new URL(signInUrl, "http://portal.invalid");
  if (url.origin !== "http://portal.invalid" || url.pathname !== "/api/auth/sign-in")
    return reauthenticationHref(returnTo);
  url.searchParams.set("reauth", "1");
  url.searchParams.set("returnTo", returnTo);
  return `${url.pathname}${url.search}`;
}
