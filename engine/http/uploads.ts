import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ApiError, reject } from './errors';

export const UPLOAD_LIMITS = {
  /** Per file; the document's match limit is 2 MB, liveness has none, so room for a 1080p PNG. */
  fileSize: 10 * 1024 * 1024,
  files: 2,
  /** Non-file fields are not part of the API; a few are tolerated and ignored, floods are refused. */
  fields: 10,
  parts: 16,
};

const LIMIT_MESSAGES: Record<string, [number, string, string]> = {
  FST_REQ_FILE_TOO_LARGE: [413, 'FILE_TOO_LARGE', `Each image may be at most ${UPLOAD_LIMITS.fileSize / 1048576} MB`],
  FST_FILES_LIMIT: [413, 'TOO_MANY_FILES', 'Too many files in the request'],
  FST_FIELDS_LIMIT: [413, 'TOO_MANY_FIELDS', 'Too many fields in the request'],
  FST_PARTS_LIMIT: [413, 'TOO_MANY_PARTS', 'Too many parts in the request'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [400, 'INVALID_CONTENT_TYPE', 'The request must be multipart/form-data'],
  FST_PROTO_VIOLATION: [400, 'INVALID_FIELD', 'Invalid field name'],
  FST_MP_PREMATURE_CLOSE: [400, 'INCOMPLETE_REQUEST', 'The upload ended before it was complete'],
};

/** Maps the multipart plugin's errors to the document's error shape; anything else is rethrown. */
export function uploadError(error: unknown): ApiError | null {
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? LIMIT_MESSAGES[code] : undefined;
  return known ? new ApiError(known[0], known[1], known[2]) : null;
}

/** Reads exactly the expected file fields; a missing, repeated or unexpected file field is a 400. */
export async function readFiles<F extends string>(request: FastifyRequest, fields: readonly F[]): Promise<Record<F, Buffer>> {
  const files = new Map<string, Buffer>();
  try {
    for await (const part of request.parts({ limits: UPLOAD_LIMITS })) {
      if (part.type !== 'file') continue;
      if (!(fields as readonly string[]).includes(part.fieldname)) {
        part.file.resume();
        throw reject('UNEXPECTED_FIELD', `Unexpected file field "${part.fieldname}"; expected ${fields.join(' and ')}`);
      }
      if (files.has(part.fieldname)) throw reject('DUPLICATE_FIELD', `The field "${part.fieldname}" was sent twice`);
      files.set(part.fieldname, await part.toBuffer());
    }
  } catch (error) {
    throw uploadError(error) ?? error;
  }
  for (const field of fields) {
    if (!files.get(field)?.byteLength) throw reject('MISSING_FILE', `The image file field "${field}" is required`);
  }
  return Object.fromEntries(files) as Record<F, Buffer>;
}
