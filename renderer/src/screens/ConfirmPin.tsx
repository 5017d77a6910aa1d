import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskErrorData } from '../../../app/errors';
import { errorWords } from '../i18n/errorWords';
import { PinField } from './PinForm';

/** What staff are about to do, and how: `run` gets the PIN typed again and answers with an error or null. */
export interface PendingAction {
  what: string;
  run: (pin: string) => Promise<KioskErrorData | null>;
}

/**
 * The staff PIN once more before an action a visitor at a screen left unlocked must never take
 * (quit to the desktop, debug on, another backend). Main checks it (staff.confirm), through the
 * same lockout as the unlock.
 */
export function ConfirmPin(props: { action: PendingAction; onDone: (error: { message: string } | null) => void; onCancel: () => void }) {
  const { action, onDone } = props;
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const failed = await action.run(pin);
    setPin('');
    if (failed?.code === 'pin_rejected') return setError(t('staff.wrongPin'));
    if (failed?.code === 'pin_locked') return setError(t('staff.pinLocked'));
    onDone(failed ? { message: errorWords(failed.code, t) } : null);
  }
  return (
    <form
      className="pin confirm"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p>{t('staff.confirmTitle', { what: action.what })}</p>
      <PinField value={pin} onChange={setPin} />
      {error && <p role="alert">{error}</p>}
      <div className="actions">
        <button className="primary" type="submit">
          {t('staff.confirm')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
