/**
 * The PDF417 barcode on the back of a US or Canadian licence, read with ZXing's TypeScript port
 * (@zxing/library, Apache-2.0) from the straightened document. Its text is parsed by
 * app/document/aamva.ts.
 */
import zxing from '@zxing/library';
import type { RgbaImage } from '../../app/document/findDocument';

// The package is CommonJS: Node's ESM loader cannot name its exports, so they come off the default.
const { BinaryBitmap, DecodeHintType, HybridBinarizer, PDF417Reader, RGBLuminanceSource } = zxing;
const HINTS = new Map([[DecodeHintType.TRY_HARDER, true]]);

/** The barcode's text, or null when the picture shows none that decodes. The grey copy made here is zeroed. */
export function readPdf417(image: RgbaImage): string | null {
  const grey = new Uint8ClampedArray(image.width * image.height);
  const { data } = image;
  for (let i = 0, p = 0; i < grey.length; i++, p += 4) grey[i] = (data[p]! * 77 + data[p + 1]! * 150 + data[p + 2]! * 29) >> 8;
  try {
    const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, image.width, image.height)));
    return new PDF417Reader().decode(bitmap, HINTS).getText();
  } catch {
    // NotFound, Format or Checksum: no barcode that reads.
    return null;
  } finally {
    grey.fill(0);
  }
}
