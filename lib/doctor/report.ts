/*
 * The doctor's findings and their two renderings' shared rules: a check's status, the summary
 * line, the exit code, and the plain-text table `npm run doctor` prints. Pure module.
 */

export type DoctorStatus = "pass" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  /** Stable, for tests and links: "token", "hsm:contoso-weu:read". */
  id: string;
  /** What was checked, in words. */
  title: string;
  status: DoctorStatus;
  /** What was found: the evidence of a pass, or what is wrong. */
  detail: string;
  /** What to do about a warning or a failure, as commands or settings where there are any. */
  fix?: string;
}

export interface DoctorReport {
  checkedAt: number;
  mode: "local" | "azure";
  checks: DoctorCheck[];
}

/** 1 when anything failed (the configuration cannot work as it is), else 0. */
export function exitCodeOf(report: Pick<DoctorReport, "checks">): 0 | 1 {
  return report.checks.some((check) => check.status === "fail") ? 1 : 0;
}

export function countByStatus(checks: readonly DoctorCheck[]): Record<DoctorStatus, number> {
  const counts: Record<DoctorStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}

export function summaryOf(checks: readonly DoctorCheck[]): string {
  const counts = countByStatus(checks);
  const parts = [`${counts.pass} passed`];
  if (counts.warn) parts.push(`${counts.warn} ${counts.warn === 1 ? "warning" : "warnings"}`);
  if (counts.fail) parts.push(`${counts.fail} failed`);
  if (counts.skip) parts.push(`${counts.skip} skipped`);
  return `${parts.join(", ")}.`;
}

/** A check that could not run because one it depends on failed. */
export function skipped(id: string, title: string, because: string): DoctorCheck {
  return { id, title, status: "skip", detail: `Not checked: ${because}.` };
}

const MARK: Record<DoctorStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  skip: "SKIP",
};

/** The table for a terminal: one line per check, each warning's and failure's fix indented below. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.title.length), 5);
  const lines = [`Keyward doctor — ${report.mode} mode`, ""];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.fix && (check.status === "fail" || check.status === "warn"))
      for (const line of check.fix.split("\n")) lines.push(`${" ".repeat(6)}fix: ${line}`);
  }
  lines.push("", summaryOf(report.checks));
  return `${lines.join("\n")}\n`;
}
