/*
 * Signs a user in at the local identity provider without a browser: follows the redirects of an
 * authorization URL, fills the sign-in form, and returns the redirect back to the client with
 * the code. For fast integration tests; the end-to-end tests use Chromium instead.
 */

const MAX_HOPS = 15;

export interface DriverResult {
  /** The URL the provider redirected to on the client's side (carrying code and state). */
  redirect: URL;
  /** Whether the provider showed the sign-in form (false when its session signed in silently). */
  formShown: boolean;
}

export class IdpCookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(header))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export async function signInAtIdp(
  authorizationUrl: string,
  credentials: { login: string; password: string },
  jar = new IdpCookieJar(),
): Promise<DriverResult> {
  const idpOrigin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  let formShown = false;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const response = await fetch(url, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: jar.header(),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: form?.toString(),
    });
    jar.store(response);
    form = undefined;
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get("location") ?? "", url);
      if (next.origin !== idpOrigin) return { redirect: next, formShown };
      url = next.toString();
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+\/login)"/.exec(html)?.[1];
    if (!action)
      throw new Error(
        `the identity provider answered ${response.status} without a sign-in form: ${html.slice(0, 300)}`,
      );
    if (formShown && response.status === 401)
      throw new Error(`sign-in refused for ${credentials.login}`);
    formShown = true;
    url = new URL(action, url).toString();
    form = new URLSearchParams({ login: credentials.login, password: credentials.password });
  }
  throw new Error(`more than ${MAX_HOPS} redirects during sign-in`);
}
