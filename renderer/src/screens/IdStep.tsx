import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { extractPortrait, type PortraitResult } from '../idPhoto/portrait';
import { useCamera } from '../camera/useCamera';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { useStaff } from '../flow/staffStore';
import { PinForm } from './PinForm';

export function IdStep() {
  const { t } = useTranslation();
  const choice = useSettings((s) => s.settings?.cameras.id);
  const videoRef = useCamera(choice);
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Importing opens the OS file dialog, a way out of kiosk mode: only after the staff PIN, and
  // one PIN opens one dialog (`open`: the dialog was opened; cancelled or not, the next one needs
  // the PIN again, so a visitor cannot reopen a dialog staff walked away from).
  const [importing, setImporting] = useState<'no' | 'pin' | 'file' | 'open'>('no');
  const idPhotoCaptured = useVerification((s) => s.idPhotoCaptured);
  const locked = useStaff((s) => s.locked);
  const visitEnded = useVerification((s) => s.visitEnded);

  async function use(result: Promise<PortraitResult>) {
    setBusy(true);
    setProblem(null);
    try {
      const portrait = await result;
      if (!portrait.ok) return setProblem(t(`id.${portrait.reason}`));
      const error = await idPhotoCaptured(portrait.bytes, portrait.preview);
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
        <div className="card-frame" aria-hidden="true" />
      </div>
      <p className="instruction" aria-live="polite">
        {busy ? t('id.finding') : (problem ?? t('id.hint'))}
      </p>
      <div className="actions">
        <button className="primary" disabled={busy} onClick={() => videoRef.current && void use(extractPortrait(videoRef.current))}>
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
              if (file) void use(createImageBitmap(file).then(extractPortrait));
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

export function IdConfirm() {
  const { t } = useTranslation();
  const url = useVerification((s) => s.idPreviewUrl);
  const idConfirmed = useVerification((s) => s.idConfirmed);
  const idRetake = useVerification((s) => s.idRetake);
  return (
    <main className="screen id-confirm" data-screen="idConfirm">
      <h1>{t('idConfirm.title')}</h1>
      {url && <img className="portrait" src={url} alt="" />}
      <div className="actions">
        <button className="primary" onClick={idConfirmed}>
          {t('idConfirm.use')}
        </button>
        <button onClick={idRetake}>{t('idConfirm.retake')}</button>
      </div>
    </main>
  );
}
