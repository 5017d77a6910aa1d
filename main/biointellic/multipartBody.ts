import { randomBytes } from 'node:crypto';

export interface ImagePart {
  bytes: Uint8Array;
  contentType: 'image/png' | 'image/jpeg';
}

/**
 * A multipart/form-data body built into one buffer of the client's own, so the copy of the
 * visitor's images it holds can be zeroed once sent (a Blob's copy, as FormData makes, cannot).
 * Each file field as the API document shows it: name, a filename with the image's extension, and
 * its Content-Type.
 */
export function multipartBody(parts: ReadonlyArray<readonly [field: string, part: ImagePart]>): { body: Uint8Array; contentType: string } {
  const boundary = `----BiointellicKiosk${randomBytes(12).toString('hex')}`;
  const text = (s: string) => new TextEncoder().encode(s);
  const chunks: Uint8Array[] = [];
  for (const [field, part] of parts) {
    const extension = part.contentType === 'image/png' ? 'png' : 'jpg';
    chunks.push(
      text(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.${extension}"\r\nContent-Type: ${part.contentType}\r\n\r\n`),
      part.bytes,
      text('\r\n'),
    );
  }
  chunks.push(text(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
