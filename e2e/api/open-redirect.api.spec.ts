import type { APIRequestContext } from "@playwright/test";

import { account, storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Sign-in must never become an open redirect: whatever `returnTo` says, the browser lands on a
 * page of this portal. Each value below passes a look at the raw text for "//" but normalises
 * to a path that starts with "//" (another host), or hides a slash from the check.
 */
const HOSTILE_RETURN_TO = [
  "/.//evil.example",
  "/..//evil.example",
  "/x/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/./\\evil.example",
  "/\t/evil.example",
  "/%2f/evil.example",
  "/%5c/evil.example",
  "//evil.example",
];

/** Follows a Location as a browser would: relative to the URL that answered. */
function followed(location: string | undefined, from: string): URL {
  expect(location, `a Location header from ${from}`).toBeTruthy();
  return new URL(location!, from);
}

test.describe("returnTo after sign-in", () => {
  test.describe("for a signed-in user opening the sign-in page", () => {
    test.use({ storageState: storageStatePath("auditor") });

    for (const returnTo of HOSTILE_RETURN_TO)
      test(`stays on the portal for ${JSON.stringify(returnTo)}`, async ({ request, stack }) => {
        const url = `/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
        const response = await request.get(url, { maxRedirects: 0 });
        expect(response.status()).toBe(307);
        const target = followed(response.headers().location, `${stack.portal.url}${url}`);
        expect(target.href).toBe(`${stack.portal.url}/`);
      });
  });

  /**
   * Starts a sign-in with `returnTo`, submits the identity provider's form, and follows the
   * redirects by hand up to the portal's callback; returns where the callback sends the browser.
   */
  async function callbackTarget(
    request: APIRequestContext,
    portalUrl: string,
    credentials: { login: string; password: string },
    returnTo: string,
  ): Promise<URL> {
    const loginPage = await request.get(
      `/api/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
    );
    const action = /<form method="post" action="([^"]+\/login)"/.exec(await loginPage.text())?.[1];
    expect(action, "the identity provider's sign-in form").toBeTruthy();
    let response = await request.post(new URL(action!, loginPage.url()).href, {
      form: { login: credentials.login, password: credentials.password },
      maxRedirects: 0,
    });
    let from = new URL(action!, loginPage.url()).href;
    for (let hop = 0; hop < 10; hop += 1) {
      const next = followed(response.headers().location, from);
      const atCallback =
        next.origin === new URL(portalUrl).origin && next.pathname === "/api/auth/callback";
      response = await request.get(next.href, { maxRedirects: 0 });
      from = next.href;
      if (atCallback) {
        expect(response.status()).toBe(303);
        return followed(response.headers().location, from);
      }
    }
    throw new Error("the sign-in never reached the portal's callback");
  }

  for (const returnTo of ["/.//evil.example", "/%2E%2E//evil.example"])
    test(`a whole sign-in with ${JSON.stringify(returnTo)} lands on the portal`, async ({
      playwright,
      stack,
    }) => {
      const request = await playwright.request.newContext({ baseURL: stack.portal.url });
      const target = await callbackTarget(
        request,
        stack.portal.url,
        account(stack, "auditor"),
        returnTo,
      );
      expect(target.href).toBe(`${stack.portal.url}/`);
      // The sign-in worked: only where it led was refused.
      expect((await request.get("/api/me")).status()).toBe(200);
      await request.dispose();
    });
});
