/** Bad files for the engine's liveness endpoint, made here, with the status and code each must get. */
import sharp from 'sharp';
import { makeJpeg, makePng } from './images';

export const BAD_LIVENESS_FILES: Array<[name: string, make: () => Promise<Uint8Array>, status: number, code: string]> = [
  ['a 0-byte file', async () => new Uint8Array(0), 400, 'MISSING_FILE'],
  ['a truncated PNG', async () => (await makePng(800, 800)).subarray(0, 3000), 400, 'INVALID_IMAGE'],
  ['a truncated JPEG (as liveness, not a PNG)', async () => (await makeJpeg(800, 800)).subarray(0, 3000), 400, 'IMAGE_NOT_PNG'],
  ['a text file named .png', async () => Buffer.from('definitely not an image'), 400, 'INVALID_IMAGE'],
  [
    'a 60-megapixel PNG',
    async () =>
      sharp({ create: { width: 7746, height: 7746, channels: 3, background: '#555' } })
        .png()
        .toBuffer(),
    400,
    'FACE_NOT_FOUND',
  ],
  [
    'a 1×50000 PNG',
    async () =>
      sharp({ create: { width: 1, height: 50_000, channels: 3, background: '#555' } })
        .png()
        .toBuffer(),
    400,
    'FACE_NOT_FOUND',
  ],
  [
    'a 16-bit PNG without a face',
    async () =>
      sharp(await makePng(640, 480))
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
    400,
    'FACE_NOT_FOUND',
  ],
  [
    'an animated GIF',
    async () =>
      sharp(await makePng(640, 480))
        .gif()
        .toBuffer(),
    400,
    'IMAGE_NOT_PNG',
  ],
];
