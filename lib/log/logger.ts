import pino, { type DestinationStream, type Logger } from "pino";

import { getEnv, type LogLevel } from "@/lib/env";
import { redactSecrets, redactString } from "@/lib/log/redact";

export type { Logger };

/**
 * A JSON logger whose every record is scrubbed by redactSecrets: objects through the `log`
 * formatter, message strings through the logMethod hook.
 */
export function createLogger(
  service: string,
  level: LogLevel,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => redactSecrets(record) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? redactString(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

let portalLogger: Logger | undefined;

/**
 * For a command whose standard output is its result (`npm run doctor -- --json`): this process's
 * log records go to standard error instead, warnings and worse only.
 */
export function logToStandardError(): void {
  portalLogger = createLogger("portal", "warn", pino.destination(2));
}

/** The portal's logger, at the configured level. */
export function getLogger(): Logger {
  portalLogger ??= createLogger("portal", getEnv().logLevel);
  return portalLogger;
}
