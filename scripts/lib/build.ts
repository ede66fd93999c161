import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { LauncherError } from "./launcher-error";
import { completeStandalone } from "./standalone";

/** What `next build` compiles: a change to any of these makes the last build stale. */
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  // The step after `next build` that completes the standalone server (its keep-alive default).
  "scripts/lib/standalone.ts",
];
const NOT_IN_THE_PORTAL = new Set(["emulator", "idp"]);

function newestChange(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (NOT_IN_THE_PORTAL.has(child) && path.basename(entry) === "lib") continue;
    newest = Math.max(newest, newestChange(path.join(entry, child)));
  }
  return newest;
}

/**
 * True when there is no production build, or no standalone server with its assets beside it
 * (a plain `next build`, or the folder deleted), or a source file changed after the build.
 */
export function buildIsStale(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const standalone = path.join(root, ".next", "standalone");
  const complete = [
    buildId,
    path.join(standalone, "server.js"),
    path.join(standalone, ".next", "static"),
  ];
  if (!complete.every((file) => fs.existsSync(file))) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestChange(path.join(root, input)) > builtAt);
}

export function runBuild(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(root), "build"], {
      cwd: root,
      env,
      stdio: "inherit",
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new LauncherError("next build failed; see its output above."));
      try {
        completeStandalone(root);
        resolve();
      } catch (error) {
        reject(
          new LauncherError(`the standalone server is incomplete: ${(error as Error).message}`),
        );
      }
    });
  });
}

export function nextBin(root: string): string {
  return path.join(root, "node_modules", "next", "dist", "bin", "next");
}
