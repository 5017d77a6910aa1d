import { appendFileSync } from 'node:fs';

/**
 * A structured logger with one sink. Callers pass fields, never preformatted text, and the
 * fields below are dropped whatever their value: a password, token or image must not be logged
 * even by mistake.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogSink = (line: string) => void;

const NEVER_LOGGED = /pass(word)?|token|secret|authorization|jwt|image|bytes/i;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(
  sink: LogSink,
  options: { minLevel?: LogLevel; now?: () => Date } = {},
): Logger {
  const minRank = RANK[options.minLevel ?? 'info'];
  const now = options.now ?? (() => new Date());
  return {
    log(level, event, fields = {}) {
      if (RANK[level] < minRank) return;
      const safe: LogFields = {};
      for (const [key, value] of Object.entries(fields)) {
        if (!NEVER_LOGGED.test(key)) safe[key] = value;
      }
      sink(JSON.stringify({ time: now().toISOString(), level, event, ...safe }));
    },
  };
}

export const silentLogger: Logger = { log() {} };

/** Appends lines to a file (created with owner-only permissions); the folder must exist. */
export function fileSink(path: string): LogSink {
  return (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 });
}
