/*
 * The page a browser gets for an address the portal cannot read (malformed percent-encoding).
 * proxy.ts answers it before Next renders anything, so it is plain HTML with its own small
 * stylesheet in the portal's colours, light or dark as the system asks. It echoes nothing from
 * the request but the request id. Pure.
 */

export const BAD_ADDRESS_TITLE = "This address cannot be read";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const STYLES = `
:root { color-scheme: light dark; --bg: oklch(1 0 0); --fg: oklch(0.145 0 0); --muted: oklch(0.48 0 0);
  --primary: oklch(0.42 0.12 265); --primary-fg: oklch(0.985 0 0); --ring: oklch(0.55 0.12 265); }
@media (prefers-color-scheme: dark) { :root { --bg: oklch(0.145 0 0); --fg: oklch(0.985 0 0);
  --muted: oklch(0.74 0 0); --primary: oklch(0.78 0.1 265); --primary-fg: oklch(0.18 0.03 265);
  --ring: oklch(0.7 0.1 265); } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { display: flex; min-height: 100svh; max-width: 32rem; margin: 0 auto; padding: 1.5rem;
  flex-direction: column; align-items: center; justify-content: center; gap: 1rem; text-align: center; }
h1 { margin: 0; font-size: 1.25rem; font-weight: 600; }
p { margin: 0; font-size: 0.875rem; color: var(--muted); }
a { display: inline-flex; align-items: center; height: 2.25rem; padding: 0 1rem; border-radius: 0.5rem;
  background: var(--primary); color: var(--primary-fg); font-size: 0.875rem; font-weight: 500;
  text-decoration: none; }
a:focus-visible { outline: 3px solid var(--ring); outline-offset: 2px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
`;

export function badAddressPage({ requestId, nonce }: { requestId: string; nonce: string }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Bad request · Keyward</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<style nonce="${escapeHtml(nonce)}">${STYLES}</style>
</head>
<body>
<main>
<h1>${BAD_ADDRESS_TITLE}</h1>
<p>Part of it is broken percent-encoding (such as <code>%ff</code>), so Keyward cannot tell which page you asked for. Check the link you followed, or start again from the home page.</p>
<a href="/">Go to Keyward</a>
<p>Request id: <code>${escapeHtml(requestId)}</code></p>
</main>
</body>
</html>
`;
}
