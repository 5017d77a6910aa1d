import { create } from 'zustand';
import type { ContractName } from '../../../app/channels';
import type { InputOf, ResultOf } from '../../../app/contract';
import type { Result } from '../../../app/errors';
import { kiosk } from '../services/kiosk';

type Answer<N extends ContractName> = Promise<Result<ResultOf<N>>>;

/**
 * Staff's requests to main, as store actions so no screen talks to `window.kiosk` itself. Main
 * enforces the PIN on every one of them (staff.unlock opens a window of at most five minutes,
 * closed sooner when staff leave the view idle), and asks for it again before quitting, debug on
 * or another backend.
 */
interface StaffActions {
  unlocked(pin: string): Answer<'staff.unlock'>;
  identified(name: string): Answer<'staff.identify'>;
  reviewFetched(): Answer<'review.get'>;
  reviewDecided(decision: InputOf<'review.decide'>): Answer<'review.decide'>;
  locked(): Answer<'staff.lock'>;
  /** Staff touched the view: main keeps their window open (see useStaffIdle). */
  stillHere(): Answer<'staff.active'>;
  passwordStored(password: string, pin: string): Answer<'credentials.setPassword'>;
  connectionTested(): Answer<'connection.test'>;
  quitChosen(pin: string): Answer<'staff.quitKiosk'>;
  auditListed(query: InputOf<'audit.list'>): Answer<'audit.list'>;
  auditExported(query: InputOf<'audit.exportCsv'>): Answer<'audit.exportCsv'>;
  staffActionsListed(query: InputOf<'audit.staffActions'>): Answer<'audit.staffActions'>;
  staffActionsExported(query: InputOf<'audit.exportStaffCsv'>): Answer<'audit.exportStaffCsv'>;
}

export const useStaff = create<StaffActions>()(() => ({
  unlocked: (pin) => kiosk().staff.unlock({ pin }),
  identified: (name) => kiosk().staff.identify({ name }),
  reviewFetched: () => kiosk().review.get(),
  reviewDecided: (decision) => kiosk().review.decide(decision),
  locked: () => kiosk().staff.lock(),
  stillHere: () => kiosk().staff.active(),
  passwordStored: (password, pin) => kiosk().credentials.setPassword({ password, pin }),
  connectionTested: () => kiosk().connection.test(),
  quitChosen: (pin) => kiosk().staff.quitKiosk({ pin }),
  auditListed: (query) => kiosk().audit.list(query),
  auditExported: (query) => kiosk().audit.exportCsv(query),
  staffActionsListed: (query) => kiosk().audit.staffActions(query),
  staffActionsExported: (query) => kiosk().audit.exportStaffCsv(query),
}));
