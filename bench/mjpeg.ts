/** Frames of an MJPEG file (JPEG images back to back, as Chromium's fake camera plays them). */
import { readFile } from 'node:fs/promises';

export function splitMjpeg(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let start = -1;
  for (let i = 0; i + 1 < bytes.length; i += 1) {
    if (bytes[i] !== 0xff) continue;
    if (start < 0 && bytes[i + 1] === 0xd8) start = i;
    else if (start >= 0 && bytes[i + 1] === 0xd9) {
      frames.push(bytes.subarray(start, i + 2));
      start = -1;
      i += 1;
    }
  }
  return frames;
}

/** One frame every `everySeconds` of a video played at `fps` (the frame shown at t = 0, Δ, 2Δ…). */
export async function mjpegFramesEvery(path: string, everySeconds: number, fps = 30): Promise<Array<{ t: number; bytes: Uint8Array }>> {
  const frames = splitMjpeg(await readFile(path));
  const picked: Array<{ t: number; bytes: Uint8Array }> = [];
  for (let k = 0; ; k += 1) {
    const t = k * everySeconds;
    const index = Math.floor(t * fps + 1e-9);
    if (index >= frames.length) return picked;
    picked.push({ t, bytes: frames[index]! });
  }
}
