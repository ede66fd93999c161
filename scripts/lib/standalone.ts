import fs from "node:fs";
import path from "node:path";

/**
 * `next build` with `output: "standalone"` writes a server with only the files it needs to
 * .next/standalone, but leaves out the browser's assets: Next expects them to be served by a
 * CDN or copied beside the server. This copies them, so the folder runs on its own
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
  return standalone;
}
