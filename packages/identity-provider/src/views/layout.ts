import { html, type SafeHtml } from "./html";

export const STYLESHEET_PATH = "/assets/idp.css";

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Keyward local identity provider</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <main>
          <div class="card">
            <div class="brand" aria-hidden="true"><span>K</span>Keyward</div>
            ${body}
          </div>
          <p class="footer">
            Local identity provider for development and tests — not Microsoft Entra ID.
          </p>
        </main>
      </body>
    </html>`.value;
}
