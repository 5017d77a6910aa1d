import { useEffect, useRef, useState } from 'react';
import type { Quad } from '../../../app/document/documentShape';
import type { DocumentCheck } from '../../../app/contract';
import { useTranslation } from 'react-i18next';
import { extractPortrait, type PortraitResult } from '../idPhoto/portrait';
import { useDocumentGuidance } from '../idPhoto/useDocumentGuidance';
import { grabFrame } from '../services/camera';
import { detector } from '../services/detector';
import { useCamera } from '../camera/useCamera';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { useStaff } from '../flow/staffStore';
import { PinForm } from './PinForm';

/** The ID step's capture: the portrait found, and what main read of the document (null: nothing read). */
type Captured = { portrait: PortraitResult; document: DocumentCheck | null };

/** Performance marks of one capture, read by bench:visits. */
const ID_MARKS = ['id.captured', 'id.encoded', 'id.straightened', 'id.portrait', 'id.read', 'id.stored'] as const;

export function IdStep() {
  const { t } = useTranslation();
  const choice = useSettings((s) => s.settings?.cameras.id);
  const videoRef = useCamera(choice);
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The portrait is found by the face detector, loaded on first use: loaded while the card is
  // held up, it is ready when the card is captured (cold, it added ~1.3 s to the capture).
  useEffect(() => void detector().catch(() => undefined), []);
  // Importing opens the OS file dialog, a way out of kiosk mode: only after the staff PIN, and
  // one PIN opens one dialog (`open`: the dialog was opened; cancelled or not, the next one needs
  // the PIN again, so a visitor cannot reopen a dialog staff walked away from).
  const [importing, setImporting] = useState<'no' | 'pin' | 'file' | 'open'>('no');
  const idPhotoCaptured = useVerification((s) => s.idPhotoCaptured);
  const locked = useStaff((s) => s.locked);
  const visitEnded = useVerification((s) => s.visitEnded);
  const documentCaptured = useVerification((s) => s.documentCaptured);
  const guided = useDocumentGuidance(
    videoRef,
    !busy && importing === 'no',
    (held) =>
      void use(
        fromPicture(held.frame, false, held.bytes).finally(() => held.frame.close()),
        { auto: true },
      ),
  );
  /** Auto-captures whose MRZ failed its check digits, tried again on a new hold. */
  const unreadTries = useRef(0);

  /**
   * Main finds the document in the whole picture and straightens it; the portrait is then looked
   * for on the straightened document (upright, at full resolution) while main reads its MRZ, or
   * on the picture itself when no document was found there or its portrait was not.
   */
  async function fromPicture(picture: HTMLVideoElement | ImageBitmap, wholeImage: boolean, encoded?: Promise<Uint8Array<ArrayBuffer>>): Promise<Captured> {
    // Stage marks for bench:visits' capture → fields timeline.
    for (const mark of ID_MARKS) performance.clearMarks(mark);
    performance.mark('id.captured');
    const bytes = await (encoded ?? grabFrame(picture));
    performance.mark('id.encoded');
    const { straightened, read } = await documentCaptured(bytes, wholeImage);
    performance.mark('id.straightened');
    const portrait = (async () => {
      if (straightened) {
        const document = await createImageBitmap(new Blob([straightened], { type: 'image/jpeg' }));
        straightened.fill(0);
        const found = await extractPortrait(document).finally(() => document.close());
        if (found.ok) return found;
      }
      return extractPortrait(picture);
    })();
    const [found, document] = await Promise.all([portrait.finally(() => performance.mark('id.portrait')), read.finally(() => performance.mark('id.read'))]);
    return { portrait: found, document };
  }

  async function use(result: Promise<Captured>, options: { auto?: boolean } = {}) {
    setBusy(true);
    setProblem(null);
    try {
      const { portrait, document } = await result;
      // A reader reads frame after frame: an auto-capture whose MRZ failed its check digits (a
      // glint, a blur) is taken again on the next hold, twice, before staff are shown the failure.
      if (options.auto && document?.mrz === 'failed' && unreadTries.current++ < 2) return;
      if (!portrait.ok) return setProblem(t(`id.${portrait.reason}`));
      const error = await idPhotoCaptured(portrait.bytes, portrait.preview);
      performance.mark('id.stored');
      // Words come from the catalogue by code, never from main's (English, staff-facing) message.
      if (error) setProblem(error.code === 'image_too_small' ? t('id.tooSmall') : t('id.noFace'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="screen id" data-screen="id">
      <h1>{t('id.title')}</h1>
      <div className="viewport">
        <video ref={videoRef} muted playsInline aria-hidden="true" />
        {guided?.quad ? (
          <DocumentOutline quad={guided.quad} frame={guided.frame} good={guided.instruction === 'hold'} />
        ) : (
          <div className="card-frame" aria-hidden="true" />
        )}
      </div>
      <p className="instruction" aria-live="polite" data-document-instruction={guided?.instruction}>
        {busy ? t('id.finding') : (problem ?? (guided ? t(`id.doc.${guided.instruction}`) : t('id.hint')))}
      </p>
      <div className="actions">
        <button className="primary" disabled={busy} onClick={() => videoRef.current && void use(fromPicture(videoRef.current, false))}>
          {t('id.capture')}
        </button>
        {importing === 'file' ? (
          <button
            disabled={busy}
            onClick={() => {
              fileRef.current?.click();
              setImporting('open');
            }}
          >
            {t('id.chooseFile')}
          </button>
        ) : (
          <button disabled={busy || importing === 'pin'} onClick={() => setImporting('pin')}>
            {t('id.import')}
          </button>
        )}
        <button className="quiet" onClick={() => void visitEnded('cancel')}>
          {t('common.cancel')}
        </button>
        {(importing === 'file' || importing === 'open') && (
          <input
            ref={fileRef}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            hidden
            data-testid="id-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              setImporting('no');
              // A file staff import is a scan or a photo of the card alone: taken whole when no edge is found.
              if (file) void use(createImageBitmap(file).then((bitmap) => fromPicture(bitmap, true).finally(() => bitmap.close())));
            }}
          />
        )}
      </div>
      {importing === 'pin' && (
        <PinForm
          onOpen={() => {
            // The PIN opened this one import, not staff settings.
            void locked();
            setImporting('file');
          }}
        />
      )}
    </main>
  );
}

/** The card's outline as main found it, over the video (both letterboxed the same way: object-fit contain). */
function DocumentOutline({ quad, frame, good }: { quad: Quad; frame: { width: number; height: number }; good: boolean }) {
  return (
    <svg
      className={`document-outline${good ? ' good' : ''}`}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      preserveAspectRatio="xMidYMid meet"
      aria-hidden="true"
    >
      <polygon points={quad.map((p) => `${p.x},${p.y}`).join(' ')} />
    </svg>
  );
}

export function IdConfirm() {
  const { t } = useTranslation();
  const url = useVerification((s) => s.idPreviewUrl);
  const idConfirmed = useVerification((s) => s.idConfirmed);
  const idRetake = useVerification((s) => s.idRetake);
  return (
    <main className="screen id-confirm" data-screen="idConfirm">
      <h1>{t('idConfirm.title')}</h1>
      {url && <img className="portrait" src={url} alt="" />}
      <DocumentSummary />
      <div className="actions">
        <button className="primary" onClick={idConfirmed}>
          {t('idConfirm.use')}
        </button>
        <button onClick={idRetake}>{t('idConfirm.retake')}</button>
      </div>
    </main>
  );
}

/**
 * What was read from the document, for the member of staff at the counter: its kind, whether its
 * MRZ checked out, whether it has expired. Nothing that names the visitor (staff see the fields in
 * the review, behind the PIN). A document without an MRZ asks staff for the expiry printed on it.
 */
function DocumentSummary() {
  const { t } = useTranslation();
  const document = useVerification((s) => s.idDocument);
  const documentExpiryEntered = useVerification((s) => s.documentExpiryEntered);
  const [expiry, setExpiry] = useState('');
  if (!document) return null;
  if (!document.found) return <p className="document-summary">{t('idConfirm.document.notFound')}</p>;
  const kind = document.kind ? `${t(`idConfirm.document.kinds.${document.kind}`)}${document.issuingState ? ` (${document.issuingState})` : ''}: ` : '';
  return (
    <div className="document-summary" data-document-mrz={document.mrz} data-document-expiry={document.expiry}>
      <p>
        {kind}
        {t(`idConfirm.document.mrz_${document.mrz}`)} {t(`idConfirm.document.expiry_${document.expiry}`)}
      </p>
      {document.mrz === 'none' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (expiry) void documentExpiryEntered(expiry);
          }}
        >
          <label>
            {t('idConfirm.document.expiryLabel')} <input type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} required />
          </label>
          <button type="submit">{t('idConfirm.document.expirySave')}</button>
        </form>
      )}
    </div>
  );
}
