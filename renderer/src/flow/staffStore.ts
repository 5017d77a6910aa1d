import { create } from 'zustand';
import type { ContractName } from '../../../app/channels';
import type { InputOf, ResultOf } from '../../../app/contract';
import type { Result } from '../../../app/errors';
import { kiosk } from '../services/kiosk';

type Answer<N extends ContractName> = Promise<Result<ResultOf<N>>>;

/**
 * Staff's requests to main, as store actions so no screen talks to `window.kiosk` itself. Main
 * enforces the PIN on every one of them (staff.unlock opens a five-minute window).
 */
interface StaffActions {
  unlocked(pin: string, name?: string): Answer<'staff.unlock'>;
  reviewFetched(): Answer<'review.get'>;
  reviewDecided(decision: InputOf<'review.decide'>): Answer<'review.decide'>;
  locked(): Answer<'staff.lock'>;
  passwordStored(password: string): Answer<'credentials.setPassword'>;
  connectionTested(): Answer<'connection.test'>;
  quitChosen(): Answer<'staff.quitKiosk'>;
  auditListed(query: InputOf<'audit.list'>): Answer<'audit.list'>;
  auditExported(query: InputOf<'audit.exportCsv'>): Answer<'audit.exportCsv'>;
}

export const useStaff = create<StaffActions>()(() => ({
  unlocked: (pin, name) => kiosk().staff.unlock(name === undefined ? { pin } : { pin, name }),
  reviewFetched: () => kiosk().review.get(),
  reviewDecided: (decision) => kiosk().review.decide(decision),
  locked: () => kiosk().staff.lock(),
  passwordStored: (password) => kiosk().credentials.setPassword({ password }),
  connectionTested: () => kiosk().connection.test(),
  quitChosen: () => kiosk().staff.quitKiosk(),
  auditListed: (query) => kiosk().audit.list(query),
  auditExported: (query) => kiosk().audit.exportCsv(query),
}));
