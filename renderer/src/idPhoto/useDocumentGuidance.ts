import { useEffect, useRef, useState } from 'react';
import type { Quad } from '../../../app/document/documentShape';
import { documentGuidanceStep, startDocumentGuidance, type DocumentInstruction } from '../../../app/document/documentGuidance';
import { useVerification } from '../flow/verificationStore';
import { grabFrame } from '../services/camera';

/** The longest side of the frame main looks for the card in (findDocument works at 640 px). */
const GUIDANCE_PX = 640;
/** Between two looks: main's search takes ~30–60 ms; four looks a second are enough to guide a hand. */
const PERIOD_MS = 250;

export type DocumentView = { instruction: DocumentInstruction; quad: Quad | null; frame: { width: number; height: number } };

/** The frame a hold chose, and its JPEG, encoded while the hold went on (the capture need not wait for it). */
export type HeldFrame = { frame: ImageBitmap; bytes: Promise<Uint8Array<ArrayBuffer>> };

/**
 * Guides staff holding the ID up to the camera: several times a second a small frame goes to
 * main (`document.find`), the pure step (app/document/documentGuidance.ts) turns the sighting into
 * an instruction, and once a good card has been held still, `onCapture` gets the sharpest
 * full-resolution frame of that hold with its JPEG, encoded as soon as the frame became the
 * sharpest. The frames of a hold, and their JPEGs, are let go (bytes zeroed) as soon as they are
 * not needed; `enabled` false stops the loop (busy, a dialog open, the step left).
 */
export function useDocumentGuidance(video: React.RefObject<HTMLVideoElement | null>, enabled: boolean, onCapture: (held: HeldFrame) => void) {
  const documentSighted = useVerification((s) => s.documentSighted);
  const [view, setView] = useState<DocumentView | null>(null);
  const capture = useRef(onCapture);
  useEffect(() => {
    capture.current = onCapture;
  });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let state = startDocumentGuidance();
    let best: (HeldFrame & { sharpness: number }) | null = null;
    const drop = () => {
      if (best) release(best);
      best = null;
    };
    const look = async () => {
      const source = video.current;
      if (stopped) return;
      if (!source || source.readyState < 2 || !source.videoWidth) {
        timer = setTimeout(() => void look(), PERIOD_MS);
        return;
      }
      const frame = await createImageBitmap(source);
      const scale = Math.min(1, GUIDANCE_PX / Math.max(frame.width, frame.height));
      const small = new OffscreenCanvas(Math.round(frame.width * scale), Math.round(frame.height * scale));
      small.getContext('2d')!.drawImage(frame, 0, 0, small.width, small.height);
      const bytes = new Uint8Array(await (await small.convertToBlob({ type: 'image/jpeg', quality: 0.85 })).arrayBuffer());
      const sighting = await documentSighted(bytes);
      if (stopped) return frame.close();
      const step = documentGuidanceStep(state, sighting, performance.now(), 1 / scale);
      state = step.state;
      // The sharpest frame of the hold is the one kept; a break in the hold lets them all go.
      if (step.instruction === 'hold' && sighting && (!best || sighting.sharpness > best.sharpness)) {
        drop();
        best = { frame, bytes: grabFrame(frame), sharpness: sighting.sharpness };
      } else {
        if (step.instruction !== 'hold') drop();
        frame.close();
      }
      const quad = sighting ? (sighting.quad.map((p) => ({ x: p.x, y: p.y })) as unknown as Quad) : null;
      setView({ instruction: step.instruction, quad, frame: { width: small.width, height: small.height } });
      if (step.capture && best) {
        const { frame: kept, bytes } = best;
        best = null;
        stopped = true;
        capture.current({ frame: kept, bytes });
        return;
      }
      timer = setTimeout(() => void look(), PERIOD_MS);
    };
    void look();
    return () => {
      stopped = true;
      clearTimeout(timer);
      drop();
    };
  }, [enabled, video, documentSighted]);

  return enabled ? view : null;
}

/** A held frame no longer wanted: closed, and its JPEG zeroed once encoded. */
export function release(held: HeldFrame): void {
  held.frame.close();
  void held.bytes.then((bytes) => bytes.fill(0)).catch(() => undefined);
}
