import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditForwarding, StaffActionEntry } from '../../../app/contract';
import { useStaff } from '../flow/staffStore';
import { useFormat } from '../i18n/format';

/** What the view shows: the checks (all, or one decision), or what staff did. */
type Shown = AuditEntry['decision'] | '' | 'staff';
const queryFor = (shown: Exclude<Shown, 'staff'>) => (shown ? { decision: shown } : {});

/** Saves CSV text as a file through the page's one allowed download (main puts it in Documents/Biointellic audit/). */
function download(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}-${new Date().toISOString().slice(0, 10)}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** How sending the records to the bank's central log stands: said only when a collector is provisioned. */
function ForwardingStatus({ forwarding }: { forwarding: AuditForwarding }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { state, queued, notQueued, lastDelivered, lastError } = forwarding;
  const code = lastError ?? '—';
  const words = {
    delivered: t('audit.forwardDelivered', { time: lastDelivered ? format.dateTime(lastDelivered) : '—' }),
    sending: t('audit.forwardSending', { queued }),
    unreachable: t('audit.forwardUnreachable', { queued, code }),
    certificate_refused: t('audit.forwardRefused', { queued, code }),
  }[state];
  return (
    <>
      <p role="status" data-forwarding={state}>
        {words}
      </p>
      {notQueued > 0 && <p role="alert">{t('audit.forwardFull', { count: notQueued })}</p>}
    </>
  );
}

/** The staff view of the audit log: the latest checks with a decision filter, or the staff actions; CSV export of either. */
export function AuditView() {
  const { t } = useTranslation();
  const format = useFormat();
  const [shown, setShown] = useState<Shown>('');
  const staff = useStaff();
  const [records, setRecords] = useState<AuditEntry[]>([]);
  const [actions, setActions] = useState<StaffActionEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [forwarding, setForwarding] = useState<AuditForwarding | null>(null);
  const { auditListed, staffActionsListed } = staff;

  useEffect(() => {
    if (shown === 'staff') {
      void staffActionsListed({ limit: 50 }).then((r) => {
        if (r.ok) {
          setActions(r.data.actions);
          setTotal(r.data.total);
        }
      });
      return;
    }
    void auditListed({ ...queryFor(shown), limit: 50 }).then((r) => {
      if (r.ok) {
        setRecords(r.data.records);
        setTotal(r.data.total);
        setForwarding(r.data.forwarding);
      }
    });
  }, [shown, auditListed, staffActionsListed]);

  async function exportCsv() {
    const result = shown === 'staff' ? await staff.staffActionsExported({}) : await staff.auditExported(queryFor(shown));
    if (result.ok) download(result.data.csv, shown === 'staff' ? 'biointellic-staff-actions' : 'biointellic-audit');
  }

  return (
    <fieldset className="audit">
      <legend>{t('audit.title', { total })}</legend>
      {forwarding && <ForwardingStatus forwarding={forwarding} />}
      <label>
        {t('audit.filter')}
        <select value={shown} onChange={(e) => setShown(e.target.value as Shown)}>
          <option value="">{t('audit.all')}</option>
          <option value="verified">{t('result.verified')}</option>
          <option value="not_verified">{t('result.notVerified')}</option>
          <option value="error">{t('audit.errors')}</option>
          <option value="cancelled">{t('audit.cancelled')}</option>
          <option value="staff">{t('audit.staffActions')}</option>
        </select>
      </label>
      {shown === 'staff' ? (
        <table>
          <thead>
            <tr>
              <th>{t('audit.time')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id}>
                <td>{format.dateTime(a.time)}</td>
                <td>{a.action}</td>
                <td>{a.detail === '{}' ? '' : a.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('audit.time')}</th>
              <th>{t('audit.decision')}</th>
              <th>{t('audit.liveness')}</th>
              <th>{t('audit.match')}</th>
              <th>{t('audit.code')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <td>{format.dateTime(r.time)}</td>
                <td>{r.decision}</td>
                <td>{r.livenessScore === null ? '—' : format.number(r.livenessScore, 3)}</td>
                <td>{r.matchScore === null ? '—' : format.number(r.matchScore, 1)}</td>
                <td>{r.rejectionCode ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button onClick={() => void exportCsv()}>{t('audit.export')}</button>
    </fieldset>
  );
}
