/**
 * Camera frames for the guidance loop as the camera's own pixel planes, copied out of the video
 * with WebCodecs' VideoFrame.copyTo: no colour conversion of the whole frame, which is what
 * drawing the video into a canvas costs on a machine without a GPU (about 15–20 ms for a 720p
 * frame here, against about 2 ms for the copy and the 640-px analysis input together: docs/benchmarks.md,
 * "Guidance at camera speed"). Where the browser cannot hand the planes over (no VideoFrame, or a
 * frame format this module does not read) the frame is drawn into a canvas instead, as before.
 */
import type { FramePixels, PixelFormat } from './framePixels';

const FORMATS: Record<string, PixelFormat> = { I420: 'I420', NV12: 'NV12', RGBA: 'RGBA', RGBX: 'RGBA', BGRA: 'BGRA', BGRX: 'BGRA' };

/**
 * A frame's planes (framePixels.ts) and, to draw it back as the browser would, the VideoFrame's
 * own format and colour space (none for a frame a canvas drew). Its bytes are reused from frame
 * to frame and zeroed by wipeFrame.
 */
export interface CameraFrame extends FramePixels {
  video: { format: VideoPixelFormat; colorSpace: VideoColorSpaceInit } | null;
}

/** The video's current frame, into `reuse`'s buffer when it is large enough (else `reuse` is zeroed). */
export async function grabFrame(video: HTMLVideoElement, reuse?: CameraFrame): Promise<CameraFrame> {
  if (typeof VideoFrame === 'function') {
    const frame = new VideoFrame(video, { timestamp: 0 });
    try {
      const format = frame.format ? FORMATS[frame.format] : undefined;
      if (frame.format && format) {
        const size = frame.allocationSize();
        const data = reuse && reuse.data.length >= size ? reuse.data : new Uint8Array(size);
        if (data !== reuse?.data) wipeFrame(reuse);
        const planes = await frame.copyTo(data);
        const colorSpace = frame.colorSpace.toJSON();
        // A YUV frame whose range the camera does not state is drawn as video range (BT.601).
        const limitedRange = format === 'I420' || format === 'NV12' ? colorSpace.fullRange !== true : false;
        return {
          width: frame.visibleRect?.width ?? frame.codedWidth,
          height: frame.visibleRect?.height ?? frame.codedHeight,
          format,
          data,
          planes,
          limitedRange,
          video: { format: frame.format, colorSpace },
        };
      }
    } finally {
      frame.close();
    }
  }
  wipeFrame(reuse);
  const { videoWidth: width, videoHeight: height } = video;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(video, 0, 0);
  const pixels = context.getImageData(0, 0, width, height);
  canvas.width = 0; // a face picture: not kept on the canvas
  return {
    width,
    height,
    format: 'RGBA',
    data: new Uint8Array(pixels.data.buffer),
    planes: [{ offset: 0, stride: width * 4 }],
    limitedRange: false,
    video: null,
  };
}

/** Zeroes a frame's bytes: they are a face picture. */
export function wipeFrame(frame: CameraFrame | undefined): void {
  frame?.data.fill(0);
}

/** The whole frame at full size on a canvas, converted by the browser as it draws a video. */
export function frameToCanvas(frame: CameraFrame): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = frame.width;
  canvas.height = frame.height;
  const context = canvas.getContext('2d')!;
  if (!frame.video) {
    const rgba = new ImageData(new Uint8ClampedArray(frame.data.buffer, 0, frame.width * frame.height * 4), frame.width, frame.height);
    context.putImageData(rgba, 0, 0);
    return canvas;
  }
  const video = new VideoFrame(frame.data, {
    format: frame.video.format,
    codedWidth: frame.width,
    codedHeight: frame.height,
    timestamp: 0,
    layout: [...frame.planes],
    colorSpace: frame.video.colorSpace,
  });
  try {
    context.drawImage(video, 0, 0);
  } finally {
    video.close();
  }
  return canvas;
}
