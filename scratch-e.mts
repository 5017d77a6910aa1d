import sharp from 'sharp';
import { passportPage, A_PASSPORT } from './harness/testDocument';
import { cameraView } from './harness/documentViews';
import { createDocumentReader } from './main/document/documentReader';
const r = createDocumentReader();
const v = await cameraView(await passportPage({ ...A_PASSPORT, expiryDate: '240101' }), 125, { frame: { width: 1920, height: 1080 }, distanceCm: 14, yaw: 3, pitch: -3, roll: 1 });
const jpg = await sharp(v.png).jpeg({ quality: 92, chromaSubsampling: '4:2:0' }).toBuffer();
for (const [name, img] of [['png', v.png], ['jpg', jpg], ['jpg720', await sharp(jpg).resize(1280).jpeg({quality: 95}).toBuffer()]] as const) {
  const t = performance.now();
  const x = await r.read(new Uint8Array(img), { wholeImage: false });
  console.log(name, x.reading.found, x.reading.mrz, x.reading.expiry, Math.round(performance.now() - t), 'ms');
}
await r.close();
