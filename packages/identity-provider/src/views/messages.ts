import { html, SafeHtml } from "./html";
import { page } from "./layout";

/** oidc-provider's logout form (with its CSRF token) and the buttons that submit it. */
export function logoutConfirmPage(form: string): string {
  return page(
    "Sign out",
    html`<h1>Sign out</h1>
      <p>Sign out of the local identity provider as well?</p>
      ${new SafeHtml(form)}
      <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
        Sign out
      </button>
      <button type="submit" form="op.logoutForm" class="secondary">Stay signed in here</button>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
  );
}
