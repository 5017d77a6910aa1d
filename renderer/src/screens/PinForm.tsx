import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorWords } from '../i18n/errorWords';
import { useStaff } from '../flow/staffStore';

/**
 * The staff PIN, checked by main (staff.unlock, with its lockout). `onOpen` runs once it is right.
 * Staff names are not shown here: they are for staff only, chosen once unlocked (Staff.tsx).
 */
export function PinForm({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const unlocked = useStaff((s) => s.unlocked);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const result = await unlocked(pin);
    setPin('');
    if (result.ok) onOpen();
    else
      setError(
        result.error.code === 'pin_rejected'
          ? t('staff.wrongPin')
          : result.error.code === 'pin_locked'
            ? t('staff.pinLocked')
            : errorWords(result.error.code, t),
      );
  }
  return (
    <form
      className="pin"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PinField value={pin} onChange={setPin} />
      {error && <p role="alert">{error}</p>}
      <button className="primary" type="submit">
        {t('staff.unlock')}
      </button>
    </form>
  );
}

/** The PIN as staff type it: digits only, never shown; the form's first field, so it takes the focus (keyboard users start here). */
export function PinField({ value, onChange }: { value: string; onChange: (pin: string) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('staff.enterPin')}
      <input type="password" inputMode="numeric" autoComplete="off" autoFocus value={value} onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))} />
    </label>
  );
}
