import { useTranslation } from 'react-i18next';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { useFormat } from '../i18n/format';
import { StaffAlert } from './Outcome';

/** The consent notice: before any face, the ID's included, is processed. Staff may write their own text. */
export function Consent() {
  const { t } = useTranslation();
  const settings = useSettings((s) => s.settings);
  const consentAnswered = useVerification((s) => s.consentAnswered);
  const visitEnded = useVerification((s) => s.visitEnded);
  const format = useFormat();
  const custom = settings?.consentText.trim();
  return (
    <main className="screen consent" data-screen="consent">
      <h1>{t('consent.title')}</h1>
      {custom ? (
        <p className="lead">{custom}</p>
      ) : (
        <>
          <p className="lead">{t('consent.purpose')}</p>
          <p>{t('consent.kept', { days: format.days(settings?.auditRetentionDays ?? 90) })}</p>
          <p>{t('consent.ask')}</p>
        </>
      )}
      <div className="actions">
        <button className="primary" onClick={() => void consentAnswered(true)}>
          {t('consent.agree')}
        </button>
        <button onClick={() => void consentAnswered(false)}>{t('consent.byHand')}</button>
        <button className="quiet" onClick={() => void visitEnded('cancel')}>
          {t('common.cancel')}
        </button>
      </div>
    </main>
  );
}

/** The visitor chose a check by hand: staff take over; nothing of theirs was processed. */
export function ByHand() {
  const { t } = useTranslation();
  const visitEnded = useVerification((s) => s.visitEnded);
  return (
    <main className="screen by-hand" data-screen="byHand">
      <h1>{t('byHand.title')}</h1>
      <p className="lead">{t('byHand.detail')}</p>
      <StaffAlert review={false} />
      <div className="actions">
        <button className="primary" onClick={() => void visitEnded('finish')}>
          {t('result.finish')}
        </button>
      </div>
    </main>
  );
}
