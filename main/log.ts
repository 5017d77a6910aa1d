import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs';

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

export function createLogger(sink: LogSink, options: { minLevel?: LogLevel; now?: () => Date } = {}): Logger {
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

/**
 * Appends lines to a file (created with owner-only permissions); the folder must exist. Past
 * `maxBytes` the file is rotated (main.log → main.log.1 → … → main.log.<keep>, the oldest dropped),
 * so a kiosk that runs for years keeps a bounded log.
 */
export function fileSink(path: string, options: { maxBytes?: number; keep?: number } = {}): LogSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  let size = existsSync(path) ? statSync(path).size : 0;
  return (line) => {
    const text = `${line}\n`;
    const bytes = Buffer.byteLength(text);
    if (size > 0 && size + bytes > maxBytes) {
      for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      renameSync(path, `${path}.1`);
      size = 0;
    }
    appendFileSync(path, text, { mode: 0o600 });
    size += bytes;
  };
}
