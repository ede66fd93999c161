import autocannon from "autocannon";

import { page, runClients, THINK_MS, type Role } from "./load-clients";
import type { FigureInput } from "./report";

/*
 * One load measurement: warm up, then measure, keeping every latency so that p95 (the targets'
 * percentile, which autocannon does not report) is exact.
 */

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  non2xx: number;
}

export async function measureLoad(
  url: string,
  options: { cookie?: string; connections: number; durationSeconds: number; warmUpSeconds: number },
): Promise<LoadFigures> {
  const common = {
    url,
    connections: options.connections,
    headers: options.cookie ? { cookie: options.cookie } : {},
  };
  if (options.warmUpSeconds > 0) await autocannon({ ...common, duration: options.warmUpSeconds });
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ ...common, duration: options.durationSeconds }, (error, done) =>
      error ? reject(error as Error) : resolve(done),
    );
    run.on("response", (_client, _status, _bytes, milliseconds) => latencies.push(milliseconds));
  });
  return latencyFigures(latencies, result.requests.average, result.non2xx);
}

function latencyFigures(
  latencies: number[],
  requestsPerSecond: number,
  non2xx: number,
): LoadFigures {
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return {
    requestsPerSecond,
    p50: percentile(50),
    p90: percentile(90),
    p95: percentile(95),
    p99: percentile(99),
    non2xx,
  };
}

const LOAD_HEADER = "req/s   p50 ms   p90 ms   p95 ms   p99 ms   non-2xx";

function loadRow(figures: LoadFigures): string {
  return [
    figures.requestsPerSecond.toFixed(0).padStart(5),
    ...[figures.p50, figures.p90, figures.p95, figures.p99].map((v) => v.toFixed(0).padStart(8)),
    String(figures.non2xx).padStart(9),
  ].join(" ");
}

/**
 * Measures each target in turn and prints one table row per target under a header. With
 * `serverWarmUpSeconds`, the first target is loaded that long before anything is measured: under
 * load V8 keeps optimising React's and Next's render paths for about half a minute, and a table
 * should show the server as it runs, not as it starts.
 */
export async function printLoadTable(
  base: string,
  targets: readonly string[],
  options: Parameters<typeof measureLoad>[1] & { serverWarmUpSeconds?: number },
): Promise<Map<string, LoadFigures>> {
  const first = targets[0];
  if (options.serverWarmUpSeconds && first)
    await autocannon({
      url: `${base}${first}`,
      connections: options.connections,
      headers: { cookie: options.cookie },
      duration: options.serverWarmUpSeconds,
    });
  console.log(`${"target".padEnd(44)} ${LOAD_HEADER}`);
  const measured = new Map<string, LoadFigures>();
  for (const target of targets) {
    const figures = await measureLoad(`${base}${target}`, options);
    measured.set(target, figures);
    console.log(`${target.padEnd(44)} ${loadRow(figures)}`);
  }
  return measured;
}

/**
 * Each measured target's req/s and p95 as benchmark figures; `p95TargetMs` names its target.
 * `label` follows each figure's name (how the target was loaded).
 */
export function recordLoadFigures(
  record: (figure: FigureInput) => void,
  measured: Map<string, LoadFigures>,
  p95TargetMs: (target: string) => number | undefined,
  label = "",
): void {
  for (const [target, figures] of measured) {
    record({
      name: `${target} req/s${label}`,
      raw: figures.requestsPerSecond,
      unit: "req/s",
      kind: "http-throughput",
    });
    const targetMs = p95TargetMs(target);
    record({
      name: `${target} p95${label}`,
      raw: figures.p95,
      unit: "ms",
      kind: "time",
      ...(targetMs !== undefined && {
        target: { bound: "at-most", value: targetMs, on: "raw" } as const,
      }),
    });
  }
}

/** How long a person thinks between two pages, as bench:load's clients do. */
export const THINK_TIME = `${THINK_MS.min / 1_000}–${THINK_MS.max / 1_000} s`;

/**
 * People rather than connections: `clients` signed-in sessions, each loading one of `targets`
 * at random, then thinking THINK_TIME (load-clients.ts) before the next, for `seconds`. Prints and
 * returns each target's figures. Where measureLoad keeps every connection busy (the server's
 * capacity), this is what `clients` people working at once see.
 */
export async function printThinkingClients(
  base: string,
  targets: readonly string[],
  options: { cookie: string; clients: number; seconds: number },
): Promise<Map<string, LoadFigures>> {
  const mix: Record<Role, ReturnType<typeof page>[]> = {
    keyadmin: targets.map((target) => page(target, () => target, 1)),
    approver: [],
    auditor: [],
    requester: [],
  };
  const samples = await runClients(
    Array.from({ length: options.clients }, () => ({
      role: "keyadmin" as const,
      cookie: options.cookie,
    })),
    { base, origin: base, keys: [] },
    mix,
    Date.now() + options.seconds * 1_000,
  );
  console.log(
    `\n${options.clients} clients thinking ${THINK_TIME} between pages, ${options.seconds} s\n` +
      `${"target".padEnd(44)} ${LOAD_HEADER}`,
  );
  const measured = new Map<string, LoadFigures>();
  for (const target of targets) {
    const mine = samples.filter((sample) => sample.action === target);
    const figures = latencyFigures(
      mine.map((sample) => sample.ms),
      mine.length / options.seconds,
      mine.filter((sample) => !sample.ok).length,
    );
    measured.set(target, figures);
    console.log(`${target.padEnd(44)} ${loadRow(figures)}`);
  }
  return measured;
}

/**
 * A page benchmark's two loads, printed and recorded: every target at `connections` connections
 * without pause (the server's capacity; no target), then the targets that have a p95 target
 * opened by as many people thinking between pages, which is what the target is about.
 */
export async function measurePages(
  record: (figure: FigureInput) => void,
  base: string,
  targets: readonly string[],
  options: Parameters<typeof printLoadTable>[2] & {
    cookie: string;
    thinkingSeconds: number;
    p95TargetMs: (target: string) => number | undefined;
  },
): Promise<void> {
  const saturated = await printLoadTable(base, targets, options);
  recordLoadFigures(
    record,
    saturated,
    () => undefined,
    `, ${options.connections} connections without pause`,
  );
  const thinking = await printThinkingClients(
    base,
    targets.filter((target) => options.p95TargetMs(target) !== undefined),
    { cookie: options.cookie, clients: options.connections, seconds: options.thinkingSeconds },
  );
  recordLoadFigures(
    record,
    thinking,
    options.p95TargetMs,
    `, ${options.connections} clients thinking ${THINK_TIME}`,
  );
}
