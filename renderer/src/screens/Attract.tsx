import { useTranslation } from 'react-i18next';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';

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
      <p className="lead">{t('attract.subtitle')}</p>
      <button className="primary" onClick={() => started(consentRequired)}>
        {t('attract.start')}
      </button>
      <div className="corner">
        <button onClick={() => languageChosen(language === 'en' ? 'fr' : 'en')} lang={language === 'en' ? 'fr' : 'en'}>
          {t('language.switch')}
        </button>
        <button className="quiet" onClick={staffOpened}>
          {t('attract.staff')}
        </button>
      </div>
    </main>
  );
}
