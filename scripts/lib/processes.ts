import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { prettyFactory } from "pino-pretty";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Where children's output goes: the terminal (prefixed, JSON logs made readable) or files. */
export type OutputMode = { kind: "terminal" } | { kind: "files"; dir: string };

const STOP_GRACE_MS = 5000;
const COLOURS = [36, 35, 33, 32, 34];

/**
 * Starts the local stack's servers as child processes, shows or records their output, and
 * stops them all: on request, on Ctrl-C, or as soon as one of them dies unexpectedly.
 */
export class Supervisor {
  private readonly children: { name: string; process: ChildProcess }[] = [];
  private stopping = false;
  private readonly pretty = prettyFactory({
    colorize: process.stdout.isTTY,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,service",
    singleLine: true,
  });

  constructor(
    private readonly output: OutputMode,
    private readonly onUnexpectedExit: (name: string, code: number | null) => void,
  ) {}

  start(spec: ServiceSpec): ChildProcess {
    const child = this.spawnChild(spec);
    child.once("exit", (code, signal) => {
      if (this.stopping) return;
      // Ctrl-C reaches the children and this process together; give our handler a moment.
      setTimeout(() => {
        if (!this.stopping) this.onUnexpectedExit(spec.name, code ?? (signal ? 128 : null));
      }, 200);
    });
    return child;
  }

  /** A one-shot task (seeding): resolves when it exits with 0, rejects with its exit code otherwise. */
  runTask(spec: ServiceSpec): Promise<void> {
    const child = this.spawnChild(spec);
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `${spec.name} failed (${signal ?? `exit code ${code}`}); see its output above`,
              ),
            ),
      );
    });
  }

  private spawnChild(spec: ServiceSpec): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.push({ name: spec.name, process: child });
    this.attachOutput(spec.name, child);
    return child;
  }

  isRunning(child: ChildProcess): boolean {
    return child.exitCode === null && child.signalCode === null;
  }

  /** Stops every child, newest first: SIGTERM, then SIGKILL after a grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const { process: child } of [...this.children].reverse()) {
      if (!this.isRunning(child)) continue;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  }

  /** Last resort when this process exits without stopping its children. */
  killAllNow(): void {
    this.stopping = true;
    for (const { process: child } of this.children)
      if (this.isRunning(child)) child.kill("SIGKILL");
  }

  private attachOutput(name: string, child: ChildProcess) {
    if (this.output.kind === "files") {
      fs.mkdirSync(this.output.dir, { recursive: true });
      const file = fs.createWriteStream(path.join(this.output.dir, `${name}.log`), { flags: "a" });
      child.stdout?.pipe(file);
      child.stderr?.pipe(file);
      return;
    }
    const colour = COLOURS[this.children.length % COLOURS.length]!;
    const prefix = process.stdout.isTTY
      ? `\x1b[${colour}m${name.padEnd(8)}\x1b[0m`
      : name.padEnd(8);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream }).on("line", (line) => {
        const text = line.startsWith("{") ? this.pretty(line).trimEnd() : line;
        process.stdout.write(`${prefix} │ ${text}\n`);
      });
    }
  }
}
