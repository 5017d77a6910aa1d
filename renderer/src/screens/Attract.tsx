import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../../app/settings';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { catalogues } from '../i18n/i18n';

/** What will happen and who does what, the Start button, and each language in its own name. */
export function Attract() {
  const { t } = useTranslation();
  const started = useVerification((s) => s.started);
  const consentRequired = useSettings((s) => s.settings?.consentRequired ?? true);
  const staffOpened = useVerification((s) => s.staffOpened);
  const language = useSettings((s) => s.language);
  const languageChosen = useSettings((s) => s.languageChosen);
  return (
    <main className="screen attract" data-screen="attract">
      <h1>{t('attract.title')}</h1>
      <ol className="steps">
        <li>{t('attract.step1')}</li>
        <li>{t('attract.step2')}</li>
        <li>{t('attract.step3')}</li>
      </ol>
      <button className="primary" onClick={() => started(consentRequired)}>
        {t('attract.start')}
      </button>
      <nav className="languages" aria-label={t('language.choose')}>
        {LANGUAGES.map((l) => (
          <button key={l} lang={l} aria-pressed={l === language} onClick={() => languageChosen(l)}>
            {catalogues[l].language.name}
          </button>
        ))}
      </nav>
      <div className="corner">
        <button className="quiet" onClick={staffOpened}>
          {t('attract.staff')}
        </button>
      </div>
    </main>
  );
}
