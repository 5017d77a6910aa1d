import { create } from 'zustand';
import type { BlinkEvidence } from '../../../app/blink';
import type { DocumentCheck, RawFrame, VerificationOutcome } from '../../../app/contract';
import type { DocumentSighting } from '../../../app/document/findDocument';
import type { KioskErrorData } from '../../../app/errors';
import { kiosk } from '../services/kiosk';
import { initialFlow, reduce, type CameraProblem, type Flow, type FlowEvent } from './flow';

/** Why a visit ended: nobody touched the screen, the visitor cancelled, or the visit was over. */
export type VisitEnd = 'idle' | 'cancel' | 'finish';

interface VerificationState {
  flow: Flow;
  /** Object URL of the cropped ID portrait, for the confirmation screen; revoked on reset. */
  idPreviewUrl: string | null;
  /** The last outcome: whether liveness passed picks the visitor's advice; its scores are never shown to the visitor. */
  outcome: VerificationOutcome | null;
  /** Bumped on every reset: answers that started in an earlier session are dropped. */
  session: number;
  /** Staff pressed Start: the consent notice first unless the station does not ask for it. */
  started(consent: boolean): void;
  /** The visitor answered the consent notice. */
  consentAnswered(agreed: boolean): Promise<void>;
  /** What main read from the ID document (no personal data): kind, MRZ status, expiry; null before, or without a document. */
  idDocument: DocumentCheck | null;
  /** Where the document is in a small guidance frame (main finds it); null on none or on an error. The frame is zeroed. */
  documentSighted(frame: Uint8Array<ArrayBuffer>): Promise<DocumentSighting | null>;
  /**
   * The picture the portrait is taken from (the ID camera's frame, or the file staff imported):
   * main reads the document in it. Answers the straightened document to find the portrait in
   * (null when none was found or it could not be read: the portrait then comes from the picture)
   * as soon as main has it, and `read`, which settles with the document's reading once its MRZ
   * is read (null on a failure), kept as `idDocument`.
   */
  documentCaptured(
    picture: Uint8Array<ArrayBuffer>,
    wholeImage: boolean,
  ): Promise<{ straightened: Uint8Array<ArrayBuffer> | null; read: Promise<DocumentCheck | null> }>;
  /** Staff's reading of the expiry printed on a document without an MRZ. */
  documentExpiryEntered(expiryDate: string): Promise<KioskErrorData | null>;
  idPhotoCaptured(bytes: Uint8Array<ArrayBuffer>, preview: Blob): Promise<KioskErrorData | null>;
  idConfirmed(): void;
  idRetake(): void;
  /** `interpupillaryPx`: the pupils' distance measured on this frame, which main scales to 90 px. */
  livePhotoCaptured(frame: RawFrame, interpupillaryPx?: number, blink?: BlinkEvidence): Promise<void>;
  retried(): void;
  cameraFailed(problem: CameraProblem): void;
  cameraRetried(): void;
  staffOpened(): void;
  staffClosed(): Promise<void>;
  /** The visit ends: images wiped here and in main, back to the attract screen. */
  visitEnded(reason: VisitEnd): Promise<void>;
}

export const useVerification = create<VerificationState>()((set, get) => {
  const dispatch = (event: FlowEvent) => {
    const before = get().flow;
    const after = reduce(before, event);
    if (after === before && event.type !== 'idle') console.debug(`flow: ignored ${event.type} in ${before.step}`);
    set({ flow: after });
  };
  const wipePreview = () => {
    const url = get().idPreviewUrl;
    if (url) URL.revokeObjectURL(url);
    set({ idPreviewUrl: null });
  };

  return {
    flow: initialFlow,
    idPreviewUrl: null,
    idDocument: null,
    outcome: null,
    session: 0,
    started: (consent) => dispatch({ type: 'started', consent }),
    async consentAnswered(agreed) {
      // Recorded for the audit log first; the answer stands even if main cannot record it.
      await kiosk().verification.consent({ agreed });
      dispatch({ type: agreed ? 'consentGiven' : 'consentDeclined' });
    },

    async documentSighted(frame) {
      const result = await kiosk().document.find({ image: frame });
      frame.fill(0);
      return result.ok ? result.data.sighting : null;
    },
    async documentCaptured(picture, wholeImage) {
      const session = get().session;
      const result = await kiosk().verification.setIdDocument({ image: picture, wholeImage });
      picture.fill(0);
      if (session !== get().session || !result.ok) return { straightened: null, read: Promise.resolve(null) };
      const read = kiosk()
        .verification.documentRead()
        .then((answer) => {
          if (session !== get().session || !answer.ok) return null;
          set({ idDocument: answer.data });
          return answer.data;
        });
      return { straightened: result.data.straightened, read };
    },
    async documentExpiryEntered(expiryDate) {
      const result = await kiosk().verification.setDocumentExpiry({ expiryDate });
      if (!result.ok) return result.error;
      set({ idDocument: result.data });
      return null;
    },
    async idPhotoCaptured(bytes, preview) {
      const session = get().session;
      const result = await kiosk().verification.setIdPhoto(bytes);
      bytes.fill(0);
      if (session !== get().session) return null;
      if (!result.ok) return result.error;
      wipePreview();
      set({ idPreviewUrl: URL.createObjectURL(preview) });
      dispatch({ type: 'idPhotoTaken' });
      return null;
    },
    idConfirmed: () => dispatch({ type: 'idConfirmed' }),
    idRetake: () => {
      wipePreview();
      set({ idDocument: null });
      dispatch({ type: 'idRetake' });
    },

    async livePhotoCaptured(frame, interpupillaryPx, blink) {
      const { flow, session } = get();
      if (flow.step !== 'live') return;
      const attempt = flow.attempt;
      dispatch({ type: 'livePhotoTaken' });
      const stored = await kiosk().verification.setLivePhoto({ image: frame, ...(interpupillaryPx ? { interpupillaryPx } : {}), ...(blink ? { blink } : {}) });
      frame.rgba.fill(0);
      if (session !== get().session) return;
      if (!stored.ok) return dispatch({ type: 'failed', attempt, error: stored.error });
      const result = await kiosk().verification.run({ attempt });
      if (session !== get().session) return; // reset while checking: this answer is not wanted
      if (!result.ok) return dispatch({ type: 'failed', attempt, error: result.error });
      set({ outcome: result.data });
      dispatch({ type: 'decided', attempt, decision: result.data.decision, staffReview: result.data.staffReview });
    },
    retried: () => dispatch({ type: 'retried' }),
    cameraFailed: (problem) => dispatch({ type: 'cameraFailed', problem }),
    cameraRetried: () => dispatch({ type: 'cameraRetried' }),
    staffOpened: () => dispatch({ type: 'staffOpened' }),
    async staffClosed() {
      // Closing staff view over a visit ends it: whatever main still holds for its review is wiped.
      const flow = get().flow;
      if (flow.step === 'staff' && flow.duringVisit) return get().visitEnded('finish');
      dispatch({ type: 'staffClosed' });
    },

    async visitEnded(reason) {
      wipePreview();
      set((s) => ({ session: s.session + 1, outcome: null, idDocument: null }));
      dispatch({ type: reason === 'idle' ? 'idle' : reason === 'cancel' ? 'cancelled' : 'finished' });
      await kiosk().verification.reset();
    },
  };
});

/** Progress pushed by main while a check runs; stale attempts are ignored by the reducer. */
export function listenForProgress(): () => void {
  return kiosk().events.onProgress((progress) => {
    const state = useVerification.getState();
    if (state.flow.step === 'checking') {
      useVerification.setState({ flow: reduce(state.flow, { type: 'progressed', attempt: progress.attempt, stage: progress.stage }) });
    }
  });
}
