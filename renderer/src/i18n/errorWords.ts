import type { ErrorCode } from '../../../app/errors';

/** The catalogue's sentence for an error code, or the generic one: never main's (English, staff-facing) message. */
export function errorWords(code: ErrorCode, t: (key: string) => string): string {
  const key = `errors.${code}`;
  const text = t(key);
  return text === key ? t('errors.other') : text;
}
