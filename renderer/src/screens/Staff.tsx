import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BLINK_CHECKS, type BlinkCheck } from '../../../app/blink';
import { DOCUMENT_KINDS } from '../../../app/document/mrz';
import { AUDIT_RETENTION_FLOOR_DAYS, LANGUAGES, type CameraChoice, type Language } from '../../../app/settings';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { listCameras } from '../services/camera';
import { useStaff } from '../flow/staffStore';
import { useFormat } from '../i18n/format';
import { AuditView } from './AuditView';
import { ConfirmPin, type PendingAction } from './ConfirmPin';
import { NameChoice } from './NameChoice';
import { PinForm } from './PinForm';
import { ReviewPanel } from './ReviewPanel';
import { useStaffIdle } from './useStaffIdle';

/** A number staff type, saved when they leave the field; main's contract enforces the limits too. */
function NumberSetting(props: { label: string; min: number; max: number; value: number; onSave: (value: number) => void }) {
  return (
    <label>
      {props.label}
      <input type="number" min={props.min} max={props.max} defaultValue={props.value} onBlur={(e) => props.onSave(Number(e.target.value))} />
    </label>
  );
}

/** A yes/no setting, saved as soon as staff tick it. */
function ToggleSetting(props: { label: string; checked: boolean; onSave: (checked: boolean) => void }) {
  return (
    <label>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onSave(e.target.checked)} /> {props.label}
    </label>
  );
}

export function Staff() {
  const { t } = useTranslation();
  const settings = useSettings((s) => s.settings);
  const loaded = useSettings((s) => s.loaded);
  const saved = useSettings((s) => s.saved);
  const spoken = useSettings((s) => s.spoken);
  const spokenToggled = useSettings((s) => s.spokenToggled);
  const staffClosed = useVerification((s) => s.staffClosed);
  const duringVisit = useVerification((s) => s.flow.step === 'staff' && s.flow.duringVisit);
  const staff = useStaff();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [debugHours, setDebugHours] = useState(1);
  const [status, setStatus] = useState<string | null>(null);
  const [cameras, setCameras] = useState<CameraChoice[]>([]);
  const [remote, setRemote] = useState({ url: '', userId: '', password: '' });
  /** Staff named themselves (stations with staff names): the settings open after that. */
  const [named, setNamed] = useState(false);
  /** An action waiting for the PIN again (ConfirmPin). */
  const [pending, setPending] = useState<PendingAction | null>(null);

  useEffect(() => {
    void loaded();
  }, [loaded]);
  useEffect(() => {
    if (open) void listCameras().then(setCameras, () => setCameras([]));
  }, [open]);
  // The remote form starts from the saved service whenever the saved one changes.
  const [formFor, setFormFor] = useState(settings?.backend);
  if (settings?.backend !== formFor) {
    setFormFor(settings?.backend);
    const backend = settings?.backend;
    if (backend?.kind === 'remote') setRemote((r) => ({ ...r, url: backend.url, userId: backend.userId }));
  }

  const close = async () => {
    await staff.locked();
    staffClosed();
  };
  const report = (error: { message: string } | null) => setStatus(error ? error.message : t('staff.saved'));
  useStaffIdle({
    idleSeconds: settings?.staffIdleSeconds ?? 60,
    until: open ? (settings?.staffUnlockedUntil ?? null) : null,
    onIdle: () => void close(),
    stillHere: () => void (open ? staff.stillHere() : undefined),
  });

  if (!settings) return <main className="screen staff" data-screen="staff" />;
  if (!open) {
    return (
      <main className="screen staff" data-screen="staff">
        <h1>{t('staff.title')}</h1>
        {duringVisit && <p className="lead">{t('review.unlockFirst')}</p>}
        <PinForm
          onOpen={() => {
            setOpen(true);
            void loaded();
          }}
        />
        <button onClick={() => void close()}>{t('common.back')}</button>
      </main>
    );
  }

  const cameraSelect = (which: 'id' | 'live', label: string) => (
    <label>
      {label}
      <select
        value={settings.cameras[which]?.deviceId ?? ''}
        onChange={(e) => {
          const chosen = cameras.find((c) => c.deviceId === e.target.value);
          void saved({ cameras: chosen ? { [which]: chosen } : {} }).then(report);
        }}
      >
        <option value="">{t('staff.anyCamera')}</option>
        {cameras.map((c) => (
          <option key={c.deviceId} value={c.deviceId}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );

  if (settings.staffNames.length > 0 && !named) {
    return (
      <main className="screen staff" data-screen="staffName">
        <h1>{t('staff.title')}</h1>
        <NameChoice names={settings.staffNames} onChosen={() => setNamed(true)} />
      </main>
    );
  }
  if (pending) {
    return (
      <main className="screen staff" data-screen="staffConfirm">
        <h1>{t('staff.title')}</h1>
        <ConfirmPin
          action={pending}
          onCancel={() => setPending(null)}
          onDone={(error) => {
            setPending(null);
            report(error);
          }}
        />
      </main>
    );
  }

  /** The remote service's form, saved with the PIN given again, then its password if one was typed. */
  const saveRemote = async (pin: string) => {
    const error = await saved({ backend: { kind: 'remote', url: remote.url, userId: remote.userId }, pin });
    if (error || !remote.password) return error;
    const stored = await staff.passwordStored(remote.password, pin);
    setRemote((r) => ({ ...r, password: '' }));
    return stored.ok ? null : stored.error;
  };

  return (
    <main className="screen staff" data-screen="staffSettings">
      <h1>{t('staff.title')}</h1>
      {settings.provisioningRefused && (
        <p className="warning" role="alert">
          {t('staff.provisioningRefused', { reason: settings.provisioningRefused })}
        </p>
      )}
      {duringVisit && <ReviewPanel />}
      <fieldset>
        <legend>{t('staff.backend')}</legend>
        <label>
          <input
            type="radio"
            checked={settings.backend.kind === 'local'}
            onChange={() => setPending({ what: t('staff.local'), run: (pin) => saved({ backend: { kind: 'local' }, pin }) })}
          />{' '}
          {t('staff.local')}
        </label>
        <label>
          <input type="radio" checked={settings.backend.kind === 'remote'} onChange={() => setRemote((r) => ({ ...r }))} /> {t('staff.remote')}
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setPending({ what: t('staff.remote'), run: saveRemote });
          }}
        >
          <label>
            {t('staff.url')}
            <input type="url" value={remote.url} onChange={(e) => setRemote({ ...remote, url: e.target.value })} />
          </label>
          <label>
            {t('staff.user')}
            <input value={remote.userId} onChange={(e) => setRemote({ ...remote, userId: e.target.value })} />
          </label>
          <label>
            {t('staff.password')}
            <input type="password" autoComplete="new-password" value={remote.password} onChange={(e) => setRemote({ ...remote, password: e.target.value })} />
          </label>
          {settings.backend.kind === 'remote' && settings.passwordStored && <p>{t('staff.passwordStored')}</p>}
          <button type="submit">{t('common.save')}</button>
        </form>
        <button
          onClick={() =>
            void staff.connectionTested().then((r) => setStatus(r.ok ? t('staff.connectionOk', { until: r.data.tokenExpiresAt ?? '—' }) : r.error.message))
          }
        >
          {t('staff.testConnection')}
        </button>
      </fieldset>
      <fieldset>
        <label>
          <input
            type="checkbox"
            checked={settings.debug}
            onChange={(e) =>
              e.target.checked
                ? setPending({ what: t('staff.debug'), run: (pin) => saved({ debug: true, debugHours, pin }) })
                : void saved({ debug: false }).then(report)
            }
          />{' '}
          {t('staff.debug')}
        </label>
        <label>
          {t('staff.debugFor')}
          <select value={debugHours} onChange={(e) => setDebugHours(Number(e.target.value))}>
            {[1, 4, 8, 24].map((h) => (
              <option key={h} value={h}>
                {format.hours(h)}
              </option>
            ))}
          </select>
        </label>
        {settings.debug && settings.debugUntil && (
          <p className="warning" role="alert">
            {t('staff.debugWarning')}{' '}
            {t('staff.debugUntil', {
              time: format.dateTime(settings.debugUntil),
            })}
          </p>
        )}
        {cameraSelect('id', t('staff.idCamera'))}
        {cameraSelect('live', t('staff.liveCamera'))}
        <label>
          {t('staff.language')}
          <select value={settings.language} onChange={(e) => void saved({ language: e.target.value as Language }).then(report)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t('language.name', { lng: language })}
              </option>
            ))}
          </select>
        </label>
        <NumberSetting
          label={t('staff.idleTimeout')}
          min={15}
          max={600}
          value={settings.idleTimeoutSeconds}
          onSave={(idleTimeoutSeconds) => void saved({ idleTimeoutSeconds }).then(report)}
        />
        <label>
          <input type="checkbox" checked={spoken} onChange={spokenToggled} /> {t('staff.spoken')}
        </label>
        <ToggleSetting
          label={t('staff.consentRequired')}
          checked={settings.consentRequired}
          onSave={(consentRequired) => void saved({ consentRequired }).then(report)}
        />
        <label>
          {t('staff.consentText')}
          <textarea maxLength={2000} defaultValue={settings.consentText} onBlur={(e) => void saved({ consentText: e.target.value }).then(report)} />
        </label>
        <NumberSetting
          label={t('staff.reviewMargin')}
          min={0}
          max={50}
          value={settings.reviewMarginPercent}
          onSave={(reviewMarginPercent) => void saved({ reviewMarginPercent }).then(report)}
        />
        <label>
          {t('staff.blinkCheck')}
          <select value={settings.blinkCheck} onChange={(e) => void saved({ blinkCheck: e.target.value as BlinkCheck }).then(report)}>
            {BLINK_CHECKS.map((check) => (
              <option key={check} value={check}>
                {t(`staff.blinkChecks.${check}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('staff.documentRules')}</legend>
          <ToggleSetting
            label={t('staff.requireMrz')}
            checked={settings.documentRules.requireMrz}
            onSave={(requireMrz) => void saved({ documentRules: { ...settings.documentRules, requireMrz } }).then(report)}
          />
          {DOCUMENT_KINDS.map((kind) => (
            <ToggleSetting
              key={kind}
              label={t(`idConfirm.document.kinds.${kind}`)}
              checked={settings.documentRules.acceptedKinds.includes(kind)}
              onSave={(accepted) => {
                const acceptedKinds = accepted
                  ? [...settings.documentRules.acceptedKinds, kind]
                  : settings.documentRules.acceptedKinds.filter((k) => k !== kind);
                // At least one kind stays accepted (main's settings refuse none at all).
                if (acceptedKinds.length > 0) void saved({ documentRules: { ...settings.documentRules, acceptedKinds } }).then(report);
              }}
            />
          ))}
        </fieldset>
        <ToggleSetting
          label={t('staff.seatedVisitors')}
          checked={settings.seatedVisitors}
          onSave={(seatedVisitors) => void saved({ seatedVisitors }).then(report)}
        />
        <ToggleSetting
          label={t('staff.sayNotVerified')}
          checked={settings.sayNotVerified}
          onSave={(sayNotVerified) => void saved({ sayNotVerified }).then(report)}
        />
        <label>
          {t('staff.names')}
          <textarea
            defaultValue={settings.staffNames.join('\n')}
            onBlur={(e) =>
              void saved({
                staffNames: e.target.value
                  .split('\n')
                  .map((n) => n.trim())
                  .filter(Boolean),
              }).then(report)
            }
          />
        </label>
        <NumberSetting
          label={t('staff.staffIdle')}
          min={30}
          max={120}
          value={settings.staffIdleSeconds}
          onSave={(staffIdleSeconds) => void saved({ staffIdleSeconds }).then(report)}
        />
        <NumberSetting
          label={t('audit.retention')}
          min={AUDIT_RETENTION_FLOOR_DAYS}
          max={3650}
          value={settings.auditRetentionDays}
          onSave={(auditRetentionDays) => void saved({ auditRetentionDays }).then(report)}
        />
      </fieldset>
      <AuditView />
      {status && <p role="status">{status}</p>}
      <div className="actions">
        <button className="primary" onClick={() => void close()}>
          {t('common.close')}
        </button>
        <button onClick={() => setPending({ what: t('staff.quit'), run: async (pin) => staff.quitChosen(pin).then((r) => (r.ok ? null : r.error)) })}>
          {t('staff.quit')}
        </button>
      </div>
    </main>
  );
}
