import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../app/contract';
import { useStaff } from '../flow/staffStore';
import { useFormat } from '../i18n/format';

type Decision = AuditEntry['decision'] | '';
const queryFor = (decision: Decision) => (decision ? { decision } : {});

/** The staff view of the audit log: the latest records, a decision filter, CSV export. */
export function AuditView() {
  const { t } = useTranslation();
  const format = useFormat();
  const [decision, setDecision] = useState<Decision>('');
  const auditListed = useStaff((s) => s.auditListed);
  const auditExported = useStaff((s) => s.auditExported);
  const [records, setRecords] = useState<AuditEntry[]>([]);
  const [total, setTotal] = useState(0);

  useEffect(() => {
    void auditListed({ ...queryFor(decision), limit: 50 }).then((r) => {
      if (r.ok) {
        setRecords(r.data.records);
        setTotal(r.data.total);
      }
    });
  }, [decision, auditListed]);

  async function exportCsv() {
    const result = await auditExported(queryFor(decision));
    if (!result.ok) return;
    const url = URL.createObjectURL(new Blob([result.data.csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `biointellic-audit-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <fieldset className="audit">
      <legend>{t('audit.title', { total })}</legend>
      <label>
        {t('audit.filter')}
        <select value={decision} onChange={(e) => setDecision(e.target.value as Decision)}>
          <option value="">{t('audit.all')}</option>
          <option value="verified">{t('result.verified')}</option>
          <option value="not_verified">{t('result.notVerified')}</option>
          <option value="error">{t('audit.errors')}</option>
          <option value="cancelled">{t('audit.cancelled')}</option>
        </select>
      </label>
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
      <button onClick={() => void exportCsv()}>{t('audit.export')}</button>
    </fieldset>
  );
}
