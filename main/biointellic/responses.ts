import { z } from 'zod';

/** A number sent as a string ("0.8755132"), as the document shows; a bare number is tolerated. */
const NumericResult = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `result "${String(value)}" is not a number` });
    return z.NEVER;
  }
  return n;
});

/**
 * A request id as services write them (the document's are UUIDs): letters, digits and . _ : -,
 * starting with a letter or digit, so it cannot start a formula in the audit export or carry markup.
 */
const RequestId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not a request id');
/** An error code as the document writes them ("FACE_TOO_SMALL", "-3491"): a word or a number, nothing else. */
const ErrorCode = z.string().regex(/^(-?\d{1,12}|[A-Za-z][A-Za-z0-9_.]{0,63})$/, 'not an error code');

export const ServiceResultSchema = z.object({
  id: RequestId,
  service: z.string(),
  result: NumericResult,
  userId: z.string().optional(),
  pass: z.boolean(),
});
export type ServiceResult = z.infer<typeof ServiceResultSchema>;

/** The document's 400 body; `code` is a string ("FACE_TOO_SMALL", "-3491") but may come as a number. */
export const ServiceErrorSchema = z.object({
  statusCode: z.number().optional(),
  code: z.union([z.string(), z.number()]).transform(String).pipe(ErrorCode),
  error: z.string().optional(),
  message: z.string(),
});

/** authenticate answers with a bare JWT, a JSON string holding it, or {access_token}. */
export function extractToken(body: string): string | null {
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') return parsed.trim() || null;
      const token = z.object({ access_token: z.string().min(1) }).safeParse(parsed);
      return token.success ? token.data.access_token : null;
    } catch {
      return null;
    }
  }
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(text) ? text : null;
}
