import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../../app/errors';
import { auditChainKey, type ChainReport } from '../audit/auditChain';
import { openAuditLog } from '../audit/auditLog';
import type { CredentialStore } from '../credentials/keychain';

/** `audit verify`: every record of this station's audit database against its seal and link (audit/auditChain.ts). */
export async function verifyAudit(dataDir: string, store: CredentialStore): Promise<{ text: string; data: ChainReport }> {
  const path = join(dataDir, 'audit.sqlite');
  if (!existsSync(path)) throw new KioskError('invalid_request', `There is no audit database in ${dataDir}.`);
  const key = await auditChainKey(store, dataDir, { create: false })();
  const log = openAuditLog(path, { chainKey: key });
  try {
    const report = log.verify();
    const counted = `${report.checked.verification} checks and ${report.checked.staff_action} staff actions`;
    const notes = [
      report.unsealed ? `${report.unsealed} recorded unsealed (the keychain was unavailable when they were written)` : '',
      report.unchained ? `${report.unchained} from before the chain existed` : '',
    ].filter(Boolean);
    const text = report.broken
      ? `The audit log does not hold: ${report.broken.table === 'verification' ? 'check' : 'staff action'} ${report.broken.id ?? '(the record of purged rows)'} ${report.broken.why}. ${counted} read up to there.`
      : `The audit log holds: ${counted}, each sealed and linked to the one before.${notes.length ? ` Of these, ${notes.join('; ')}.` : ''}`;
    return { text, data: report };
  } finally {
    log.close();
  }
}
