/**
 * Pictures cross the browser harness's bridge (kioskBridge.ts) as bytes, as Electron's IPC copies
 * them: Playwright's binding would carry them as base64 inside its protocol's JSON, which cost
 * bench:visits about a third of a second per ID capture that the kiosk never pays. Each large
 * byte array in a call's input or answer is swapped for a reference, and its bytes travel over
 * the renderer's own local server; the page and Node run this same module.
 */
export const BYTES_PATH = '/__bridge/bytes/';
/** Smaller arrays stay in the binding's JSON: a round trip costs more than their base64. */
const BYTES_MIN = 16 * 1024;

interface BytesRef {
  __bridgeBytes: string;
}
const isRef = (v: unknown): v is BytesRef => typeof (v as BytesRef | null)?.__bridgeBytes === 'string';

/** The value with every leaf `swap` answers for replaced, through plain objects and arrays. */
async function mapLeaves(value: unknown, swap: (v: unknown) => Promise<unknown> | undefined): Promise<unknown> {
  const swapped = swap(value);
  if (swapped !== undefined) return swapped;
  if (Array.isArray(value)) return Promise.all(value.map((v) => mapLeaves(v, swap)));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await mapLeaves(v, swap)])));
  }
  return value;
}

export const packBytes = (value: unknown, put: (bytes: Uint8Array) => Promise<string>) =>
  mapLeaves(value, (v) => (v instanceof Uint8Array && v.byteLength >= BYTES_MIN ? put(v).then((id): BytesRef => ({ __bridgeBytes: id })) : undefined));

export const unpackBytes = (value: unknown, take: (id: string) => Promise<Uint8Array>) =>
  mapLeaves(value, (v) => (isRef(v) ? take(v.__bridgeBytes) : undefined));
