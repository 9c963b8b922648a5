import { pino } from "pino";

// Structured JSON logs. Personal data (names, emails, document numbers, tokens) never goes in:
// request logs carry the method, a redacted path, the status and the request id only.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: { paths: ["*.password", "*.code", "*.email", "*.mobile", "*.token"], censor: "[redacted]" },
});

/** Long random path segments are tokens (presence links, downloads): never log them. */
export function redactPath(path: string): string {
  return path.replace(/\/[A-Za-z0-9_-]{20,}/g, "/:token");
}
