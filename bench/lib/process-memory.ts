import fs from "node:fs";

/*
 * The resident memory of a stack's portal processes, read from /proc (Linux): every Next.js
 * server whose environment names the stack's data directory (one process alone, or each worker
 * of the launcher's cluster).
 */

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Process ids of the portal processes serving the stack in `dataDir`. */
export function portalProcessIds(dataDir: string): number[] {
  return (
    fs
      .readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      // Next's server renames itself (process.title), which overwrites its command line; the
      // launcher's cluster primary keeps its own and only names server.js after --exec.
      .filter((pid) => readOrEmpty(`/proc/${pid}/cmdline`).startsWith("next-server"))
      .filter((pid) =>
        readOrEmpty(`/proc/${pid}/environ`).split("\0").includes(`KEYWARD_DATA_DIR=${dataDir}`),
      )
      .map(Number)
  );
}

/** Resident set size in MiB, or null once the process is gone. */
export function residentMiB(pid: number): number | null {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readOrEmpty(`/proc/${pid}/status`));
  return line ? Number(line[1]) / 1024 : null;
}
