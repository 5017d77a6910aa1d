import type { CameraChoice } from '../../../app/settings';
import type { RawFrame } from '../../../app/contract';
import { LIVENESS } from '../../../app/imageRequirements';
import type { CameraProblem } from '../flow/flow';

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Maps getUserMedia's DOMException names to what the screen can say about them. */
function problemOf(error: unknown): CameraProblem {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no_camera';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission_denied';
  if (name === 'NotReadableError' || name === 'AbortError') return 'in_use';
  return 'failed';
}

export async function listCameras(): Promise<CameraChoice[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label || 'Camera' }));
}

/**
 * The remembered camera: by deviceId first, else by label (deviceIds change when a camera is
 * replugged or the OS updates), else whatever the system offers.
 */
async function resolve(choice: CameraChoice | undefined): Promise<string | undefined> {
  if (!choice) return undefined;
  const cameras = await listCameras();
  return (cameras.find((c) => c.deviceId === choice.deviceId) ?? cameras.find((c) => c.label === choice.label))?.deviceId;
}

/** Opens a camera in its native mode closest to 1920×1080, whatever its shape, and refuses one under 480 lines. */
export async function openCamera(choice: CameraChoice | undefined, onEnded: () => void): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraError('no_camera', 'no mediaDevices');
  let stream: MediaStream;
  try {
    const deviceId = await resolve(choice);
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: 1920 },
        height: { ideal: 1080 },
        frameRate: { ideal: 30 },
        // The camera's own frames, never cropped or scaled by the browser to fit the ideal size: a
        // portrait or 4:3 camera would otherwise be cut to a strip (issue 15).
        resizeMode: 'none',
      } as MediaTrackConstraints,
    });
  } catch (error) {
    throw new CameraError(problemOf(error), String(error));
  }
  const track = stream.getVideoTracks()[0];
  const height = track?.getSettings().height ?? 0;
  if (!track || height < LIVENESS.minHeight) {
    stopCamera(stream);
    throw new CameraError('too_low', `camera gives ${height} lines`);
  }
  track.addEventListener('ended', onEnded, { once: true });
  return stream;
}

export function stopCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/**
 * The current camera frame (or a canvas), or an area of it, at full resolution, as a JPEG: the ID
 * step's pictures and portrait. Main converts it to what each endpoint needs.
 */
export async function grabFrame(
  source: HTMLVideoElement | HTMLCanvasElement | ImageBitmap,
  crop?: { x: number; y: number; width: number; height: number },
): Promise<Uint8Array<ArrayBuffer>> {
  const full = source instanceof HTMLVideoElement ? { width: source.videoWidth, height: source.videoHeight } : source;
  const area = crop ?? { x: 0, y: 0, width: full.width, height: full.height };
  const canvas = new OffscreenCanvas(Math.round(area.width), Math.round(area.height));
  canvas.getContext('2d')!.drawImage(source, area.x, area.y, area.width, area.height, 0, 0, canvas.width, canvas.height);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The live face's frame as its pixels (RGBA), lossless: liveness reads the skin's texture, and a
 * JPEG would add compression that a screen replay also has. Not a PNG either: Chromium took ~100 ms
 * to encode a 720p frame where reading its pixels takes ~30 (headless Chromium here, 2026-12-05);
 * main encodes what the service needs.
 */
export function readPixels(source: HTMLVideoElement | HTMLCanvasElement): RawFrame {
  const { width, height } = source instanceof HTMLVideoElement ? { width: source.videoWidth, height: source.videoHeight } : source;
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0);
  return { rgba: new Uint8Array(context.getImageData(0, 0, width, height).data.buffer), width, height };
}
