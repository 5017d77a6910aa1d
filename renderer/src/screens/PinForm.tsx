import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorWords } from '../i18n/errorWords';
import { useSettings } from '../flow/settingsStore';
import { useStaff } from '../flow/staffStore';

/** One shared empty list: a selector returning a fresh [] would re-render for ever (settings not loaded yet). */
const NO_NAMES: readonly string[] = [];

/** The staff PIN, checked by main (staff.unlock, with its lockout). `onOpen` runs once it is right. */
export function PinForm({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const unlocked = useStaff((s) => s.unlocked);
  // Staff pick their name at unlock when the station has a list: it signs the reviews they decide.
  const names = useSettings((s) => s.settings?.staffNames ?? NO_NAMES);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const result = await unlocked(pin, names.length > 0 ? name : undefined);
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
      {names.length > 0 && (
        <label>
          {t('staff.yourName')}
          {/* The form's first field takes the focus: staff type at once, keyboard users start here. */}
          <select required autoFocus value={name} onChange={(e) => setName(e.target.value)}>
            <option value="" disabled>
              {t('staff.chooseName')}
            </option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('staff.enterPin')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus={names.length === 0}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      {error && <p role="alert">{error}</p>}
      <button className="primary" type="submit">
        {t('staff.unlock')}
      </button>
    </form>
  );
}
