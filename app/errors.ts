import { z } from 'zod';

/**
 * The closed set of error codes that cross the main↔renderer boundary and the CLI.
 * The renderer looks user-facing text up from the code; `message` is for staff and logs.
 */
export const ERROR_CODES = [
  'credentials_missing',
  'credentials_rejected',
  'keychain_unavailable',
  'network_unreachable',
  'timeout',
  'server_error',
  'rate_limited',
  'protocol_error',
  'unauthorized',
  'image_invalid',
  'image_too_small',
  'image_too_large',
  'face_rejected',
  'cancelled',
  'settings_invalid',
  'invalid_request',
  'forbidden',
  'pin_rejected',
  'pin_locked',
  'attempts_exhausted',
  'station_locked',
  'station_not_set_up',
  'install_damaged',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Failures worth trying again without changing anything (the client already retried). */
export const RETRIABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'network_unreachable',
  'timeout',
  'server_error',
  'rate_limited',
  'keychain_unavailable',
]);

export const KioskErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retriable: z.boolean(),
  /** Only for face_rejected: the service's own code and message, kept verbatim. */
  service: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type KioskErrorData = z.infer<typeof KioskErrorSchema>;

/** An Error that carries a contract error code, thrown inside a process and flattened at its edge. */
export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly service?: { code: string; message: string };

  constructor(code: ErrorCode, message: string, options: { service?: { code: string; message: string }; cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KioskError';
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE_CODES.has(code);
    if (options.service) this.service = options.service;
  }

  toData(): KioskErrorData {
    return {
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...(this.service ? { service: this.service } : {}),
    };
  }
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: KioskErrorData };

export function resultSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: KioskErrorSchema })]);
}

/** Anything thrown becomes a contract error; unknown throwables never leak their text. */
export function toErrorData(error: unknown): KioskErrorData {
  if (error instanceof KioskError) return error.toData();
  return { code: 'protocol_error', message: 'An unexpected internal error occurred.', retriable: false };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
