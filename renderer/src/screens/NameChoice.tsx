import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../flow/staffStore';

/** Once unlocked on a station with staff names: who is at the desk (staff.identify); their name signs the reviews they decide. */
export function NameChoice({ names, onChosen }: { names: readonly string[]; onChosen: () => void }) {
  const { t } = useTranslation();
  const identified = useStaff((s) => s.identified);
  const [name, setName] = useState('');
  return (
    <form
      className="pin"
      onSubmit={(e) => {
        e.preventDefault();
        void identified(name).then((r) => r.ok && onChosen());
      }}
    >
      <label>
        {t('staff.yourName')}
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
      <button className="primary" type="submit">
        {t('staff.continue')}
      </button>
    </form>
  );
}
