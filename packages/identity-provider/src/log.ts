import pino, { type Logger } from "pino";

export type { Logger };
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** JSON lines on stdout; credentials in request headers and bodies are never logged. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: "identity-provider" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["req.headers.authorization", "req.headers.cookie", "password", "client_secret"],
  });
}
