import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingReview } from '../../../app/contract';
import { REVIEW_REASONS, type ReviewReason } from '../../../app/verdict';
import { useStaff } from '../flow/staffStore';
import { useFormat } from '../i18n/format';

type Review = Omit<PendingReview, 'idPhoto' | 'livePhoto'> & { idPhoto: Blob; livePhoto: Blob };

/** The images as Blobs (a copy the page can show), the received bytes zeroed at once. */
function received(pending: PendingReview): Review {
  const review = { ...pending, idPhoto: new Blob([pending.idPhoto], { type: 'image/jpeg' }), livePhoto: new Blob([pending.livePhoto], { type: 'image/jpeg' }) };
  pending.idPhoto.fill(0);
  pending.livePhoto.fill(0);
  return review;
}

/** An image shown from a Blob through an object URL that lives exactly as long as the element. */
function BlobImage({ blob, alt }: { blob: Blob; alt: string }) {
  const ref = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const img = ref.current!;
    const url = URL.createObjectURL(blob);
    img.src = url;
    return () => {
      img.removeAttribute('src');
      URL.revokeObjectURL(url);
    };
  }, [blob]);
  return <img ref={ref} alt={alt} />;
}

/**
 * The visit waiting for a person: the ID portrait beside the live capture, why the kiosk could
 * not decide, the scores (staff only), and Approve / Deny with a reason from a short list. Main
 * records the decision with the reviewer's name and wipes the images.
 */
export function ReviewPanel() {
  const { t } = useTranslation();
  const { reviewFetched, reviewDecided } = useStaff();
  const format = useFormat();
  const [review, setReview] = useState<Review | null | undefined>(undefined);
  const [reasons, setReasons] = useState<{ approve: ReviewReason; deny: ReviewReason }>({ approve: REVIEW_REASONS.approve[0], deny: REVIEW_REASONS.deny[0] });
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    void reviewFetched().then((r) => setReview(r.ok && r.data.pending ? received(r.data.pending) : null));
  }, [reviewFetched]);

  if (review === undefined) return null;
  if (review === null) return status ? <p role="status">{status}</p> : null;
  const decide = async (approved: boolean) => {
    const reason = approved ? reasons.approve : reasons.deny;
    const answer = await reviewDecided({ approved, reason });
    setReview(null);
    setStatus(answer.ok ? t(approved ? 'review.approvedDone' : 'review.deniedDone', { reason: t(`review.reasons.${reason}`) }) : answer.error.message);
  };
  // Staff see the code itself: they may need to quote it to IT.
  const why = t(`review.why.${review.why}`, { code: review.errorCode ?? '—' });
  const choice = (kind: 'approve' | 'deny') => (
    <label>
      {t(`review.${kind}Reason`)}
      <select value={reasons[kind]} onChange={(e) => setReasons({ ...reasons, [kind]: e.target.value as ReviewReason })}>
        {REVIEW_REASONS[kind].map((reason) => (
          <option key={reason} value={reason}>
            {t(`review.reasons.${reason}`)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="review" aria-labelledby="review-title" data-review-why={review.why}>
      <h2 id="review-title">{t('review.title')}</h2>
      <p className="lead">{why}</p>
      <div className="review-images">
        <figure>
          <BlobImage blob={review.idPhoto} alt={t('review.idPhoto')} />
          <figcaption>{t('review.idPhoto')}</figcaption>
        </figure>
        <figure>
          <BlobImage blob={review.livePhoto} alt={t('review.livePhoto')} />
          <figcaption>{t('review.livePhoto')}</figcaption>
        </figure>
      </div>
      <DocumentFacts document={review.document} />
      <p className="staff-only">
        {t('review.scores', {
          attempt: format.number(review.attempt),
          liveness: review.livenessScore === null ? '—' : format.number(review.livenessScore, 3),
          match: review.matchScore === null ? '—' : format.number(review.matchScore, 1),
        })}
      </p>
      <div className="review-decisions">
        <div>
          {choice('approve')}
          <button className="primary" onClick={() => void decide(true)}>
            {t('review.approve')}
          </button>
        </div>
        <div>
          {choice('deny')}
          <button onClick={() => void decide(false)}>{t('review.deny')}</button>
        </div>
      </div>
    </section>
  );
}

const FIELD_ORDER = ['surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'expiryDate', 'sex', 'issuingState'] as const;

/** What the ID step read from the document, for staff only: which fields a check digit confirmed. */
function DocumentFacts({ document }: { document: PendingReview['document'] }) {
  const { t } = useTranslation();
  if (!document) return <p className="staff-only">{t('review.document.none')}</p>;
  if (!document.found) return <p className="staff-only">{t('review.document.notFound')}</p>;
  return (
    <section
      className="staff-only document-facts"
      aria-label={t('review.document.title')}
      data-document-mrz={document.mrz}
      data-document-expiry={document.expiry}
    >
      <h3>{t('review.document.title')}</h3>
      <p>
        {t(`review.document.mrz_${document.mrz}`, { format: document.format ?? '' })} · {t(`review.document.expiry_${document.expiry}`)}
      </p>
      {document.mrz !== 'none' && (
        <dl>
          {FIELD_ORDER.map((field) => (
            <div key={field}>
              <dt>{t(`review.document.fields.${field}`)}</dt>
              <dd data-field={field}>
                {document.fields[field] ?? '—'}{' '}
                <small>({document.confirmed.includes(field) ? t('review.document.confirmed') : t('review.document.asRead')})</small>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
