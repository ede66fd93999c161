import fs from "node:fs";
import path from "node:path";

/*
 * The route modules under app/api, found on disk: for the checks that hold every route to the
 * house rules and for the OpenAPI document. Development tooling; nothing at run time reads it.
 */

export const API_DIR = path.resolve(import.meta.dirname, "..", "..", "app", "api");

/** Every `route.ts` under `dir`, sorted. */
export function routeFiles(dir = API_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return routeFiles(full);
      return entry.name === "route.ts" ? [full] : [];
    })
    .sort();
}
