import fs from "node:fs";
import path from "node:path";

/**
 * How long the portal keeps an idle HTTP connection open, unless KEEP_ALIVE_TIMEOUT (Next's own
 * setting, in ms) says otherwise. Node's default is 5 s: a proxy in front (or any client) that
 * reuses a connection just as the server closes it gets a reset, which proxies answer with 502
 * and clients see as "socket hang up". Longer than the idle timeout of the proxy in front (60 s
 * is common), the server is never the one to close a connection about to be reused.
 */
export const KEEP_ALIVE_DEFAULT_MS = 65_000;

const KEEP_ALIVE_LINE = "let keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT, 10)";
// `||`, not `??`: an empty setting (a template that left it blank) takes the default too.
const KEEP_ALIVE_WITH_DEFAULT = `let keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT || "${KEEP_ALIVE_DEFAULT_MS}", 10)`;

/**
 * The standalone server.js that Next generates, with the portal's keep-alive default. Throws
 * if Next's template no longer reads KEEP_ALIVE_TIMEOUT as it did, rather than ship without it.
 */
export function withKeepAliveDefault(serverJs: string): string {
  if (serverJs.includes(KEEP_ALIVE_WITH_DEFAULT)) return serverJs;
  if (!serverJs.includes(KEEP_ALIVE_LINE))
    throw new Error(
      "the standalone server.js no longer reads KEEP_ALIVE_TIMEOUT as scripts/lib/standalone.ts expects: check Next's template",
    );
  return serverJs.replace(KEEP_ALIVE_LINE, KEEP_ALIVE_WITH_DEFAULT);
}

/**
 * `next build` with `output: "standalone"` writes a server with only the files it needs to
 * .next/standalone, but leaves out the browser's assets: Next expects them to be served by a
 * CDN or copied beside the server. This copies them, leaves out the sources the tracer copied,
 * and gives the server the portal's keep-alive default, so the folder runs on its own
 * (`node .next/standalone/server.js`) and is what the Dockerfile ships.
 */
export function completeStandalone(root: string): string {
  const standalone = path.join(root, ".next", "standalone");
  if (!fs.existsSync(path.join(standalone, "server.js")))
    throw new Error(
      `${standalone}/server.js is missing: next.config.ts must set output "standalone"`,
    );
  const copies = [
    [path.join(root, ".next", "static"), path.join(standalone, ".next", "static")],
    [path.join(root, "public"), path.join(standalone, "public")],
  ] as const;
  for (const [from, to] of copies) {
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(from, to, { recursive: true });
  }
  // Turbopack's traces of the proxy and of instrumentation.ts list every file under lib/, tests
  // included, and the build copies them in; the server runs the compiled chunks and reads none
  // of those TypeScript sources, which have no place in what the Dockerfile ships.
  fs.rmSync(path.join(standalone, "lib"), { recursive: true, force: true });
  const server = path.join(standalone, "server.js");
  fs.writeFileSync(server, withKeepAliveDefault(fs.readFileSync(server, "utf8")));
  return standalone;
}
