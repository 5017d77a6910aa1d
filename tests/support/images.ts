/** Test images made on the fly with sharp: no photo of a person is ever committed. */
import sharp from 'sharp';

/** A smooth gradient with some noise, so JPEG sizes behave like a photo's, not a flat colour's. */
export function photoLike(width: number, height: number, seed = 1) {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      const noise = (state >> 16) % 64;
      const i = (y * width + x) * channels;
      pixels[i] = ((x * 255) / width + noise) & 0xff;
      pixels[i + 1] = ((y * 255) / height + noise) & 0xff;
      pixels[i + 2] = (((x + y) * 128) / (width + height) + noise) & 0xff;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } });
}

export const makeJpeg = (width: number, height: number, quality = 90) => photoLike(width, height).jpeg({ quality }).toBuffer();

export const makePng = (width: number, height: number) => photoLike(width, height).png().toBuffer();

/** A JPEG stored sideways with an EXIF orientation tag, as phones and some cameras write them. */
export const makeRotatedJpeg = (storedWidth: number, storedHeight: number, orientation: number) =>
  photoLike(storedWidth, storedHeight).jpeg().withMetadata({ orientation }).toBuffer();
