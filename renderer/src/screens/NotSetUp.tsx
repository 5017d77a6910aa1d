import { useTranslation } from 'react-i18next';

/** Shown instead of everything else until IT provisions the station: it verifies nobody (main refuses too). */
export function NotSetUp() {
  const { t } = useTranslation();
  return (
    <main className="screen not-set-up" data-screen="notSetUp">
      <h1>{t('notSetUp.title')}</h1>
      <p className="lead">{t('notSetUp.detail')}</p>
      <p>{t('notSetUp.how')}</p>
    </main>
  );
}
