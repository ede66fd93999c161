// The step after `next build` (npm run build): the browser's assets into .next/standalone, and
// the server's keep-alive default (scripts/lib/standalone.ts).
import path from "node:path";

import { completeStandalone } from "./lib/standalone";

const standalone = completeStandalone(path.resolve(import.meta.dirname, ".."));
console.log(`standalone server ready: node ${path.relative(process.cwd(), standalone)}/server.js`);
