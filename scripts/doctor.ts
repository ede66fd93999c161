// npm run doctor – checks this configuration end to end and prints each finding with its fix
import { exitCodeOf, formatReport } from "@/lib/doctor/report";
import { runDoctorOn } from "@/lib/doctor/service";
import { logToStandardError } from "@/lib/log/logger";
import { redactString } from "@/lib/log/redact";

/*
 * Configured like the portal (the same environment; locally the stack must run). Prints a table,
 * or the report as JSON with --json. Exit codes: 0 nothing failed (warnings name the request
 * kinds that would fail); 1 a check failed; 2 a usage error; 3 the doctor itself failed.
 */

const USAGE = "usage: npm run doctor [-- --json]";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== "--json")) {
    process.stderr.write(`${USAGE}\n`, () => process.exit(2));
    return;
  }
  logToStandardError();
  const report = await runDoctorOn();
  const output = args.includes("--json")
    ? `${JSON.stringify(report, null, 2)}\n`
    : formatReport(report);
  // Exits once the output is written (a pipe is asynchronous: exiting at once could cut it).
  process.stdout.write(output, () => process.exit(exitCodeOf(report)));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The doctor could not finish: ${redactString((error as Error).message ?? String(error))}\n`,
    () => process.exit(3),
  );
});
