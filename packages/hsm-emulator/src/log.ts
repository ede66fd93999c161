import pino, { type Logger } from "pino";

export type { Logger };
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** JSON lines on stdout. Tokens and key material are never logged: records name ids only. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: "hsm-emulator" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["req.headers.authorization", "authorization"],
  });
}
