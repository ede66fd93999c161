/** The local sign-in pages, in the portal's colours (light and dark follow the system setting). */
export const IDP_STYLES = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1a1a1a; --muted: #5c5c5c; --card: #fff;
  --border: #e5e5e5; --primary: #2f3f8f; --primary-fg: #fff; --danger: #b42318; --danger-bg: #fef3f2;
  --ring: rgba(47,63,143,.45); }
@media (prefers-color-scheme: dark) { :root { --bg: #111; --fg: #f5f5f5; --muted: #b8b8b8;
  --card: #1c1c1c; --border: #2e2e2e; --primary: #aab6f3; --primary-fg: #141a33; --danger: #fda29b;
  --danger-bg: #3a1a17; --ring: rgba(170,182,243,.5); } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
  color: var(--fg); font: 15px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif; }
main { width: min(100% - 2rem, 36rem); margin: 2rem 0; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 14px; padding: 2rem;
  box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.brand { display: flex; align-items: center; gap: .5rem; font-weight: 600; font-size: 1.05rem; margin-bottom: 1.25rem; }
.brand span { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 7px;
  background: #2f3f8f; color: #fff; font-size: .85rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; letter-spacing: -.01em; }
p { margin: .25rem 0 1rem; color: var(--muted); }
label { display: block; font-weight: 500; margin: 1rem 0 .35rem; }
input { width: 100%; padding: .6rem .75rem; border: 1px solid var(--border); border-radius: 8px;
  background: transparent; color: inherit; font: inherit; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--ring); outline-offset: 1px; }
input[aria-invalid="true"] { border-color: var(--danger); }
button { margin-top: 1.25rem; width: 100%; padding: .65rem 1rem; border: 0; border-radius: 8px;
  background: var(--primary); color: var(--primary-fg); font: inherit; font-weight: 600; cursor: pointer; }
button.secondary { background: transparent; color: var(--fg); border: 1px solid var(--border); }
a { color: var(--primary); }
.error { border: 1px solid var(--danger); background: var(--danger-bg); color: var(--danger);
  padding: .6rem .75rem; border-radius: 8px; margin: 1rem 0 0; }
.error p { color: inherit; margin: 0; }
details { margin-top: 1.5rem; border-top: 1px solid var(--border); padding-top: 1rem; }
summary { cursor: pointer; font-weight: 500; }
table { width: 100%; border-collapse: collapse; margin-top: .75rem; font-size: .85rem; }
th, td { text-align: left; padding: .35rem .25rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-weight: 600; }
code { font-family: ui-monospace, monospace; font-size: .85em; overflow-wrap: anywhere; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.footer { margin-top: 1rem; text-align: center; font-size: .8rem; color: var(--muted); }
`;
