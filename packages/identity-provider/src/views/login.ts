import type { DemoAccount } from "../directory";
import { html } from "./html";
import { page } from "./layout";

export interface LoginView {
  action: string;
  cancelUrl: string;
  clientName: string;
  login?: string;
  error?: string;
  /** The application demanded a fresh sign-in (prompt=login or max_age). */
  reauthentication: boolean;
  accounts: DemoAccount[];
}

export function loginPage(view: LoginView): string {
  const invalid = view.error ? "true" : "false";
  return page(
    "Sign in",
    html`<h1>Sign in</h1>
      <p>
        ${
          view.reauthentication
            ? `${view.clientName} asks you to confirm it is you: sign in again.`
            : `to continue to ${view.clientName}`
        }
      </p>
      <form method="post" action="${view.action}" novalidate>
        ${
          view.error
            ? html`<div class="error" role="alert" id="login-error"><p>${view.error}</p></div>`
            : ""
        }
        <label for="login">Username</label>
        <input
          id="login"
          name="login"
          type="email"
          autocomplete="username"
          required
          value="${view.login ?? ""}"
          aria-invalid="${invalid}"
          ${view.error ? html`aria-describedby="login-error"` : ""}
          ${view.login ? "" : html`autofocus`}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          aria-invalid="${invalid}"
          ${view.login ? html`autofocus` : ""}
        />
        <button type="submit">Sign in</button>
      </form>
      <p class="footer"><a href="${view.cancelUrl}">Cancel and return to ${view.clientName}</a></p>
      <details open>
        <summary>Demo accounts</summary>
        <table>
          <caption class="visually-hidden">
            Accounts of the local demo directory
          </caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Roles</th>
              <th scope="col">Password</th>
            </tr>
          </thead>
          <tbody>
            ${view.accounts.map(
              (a) =>
                html`<tr>
                  <td><code>${a.login}</code><br />${a.name}</td>
                  <td>${a.roles.length > 0 ? a.roles.join(", ") : "none"}</td>
                  <td><code>${a.password}</code></td>
                </tr>`,
            )}
          </tbody>
        </table>
      </details>`,
  );
}
