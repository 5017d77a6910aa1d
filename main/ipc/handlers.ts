import { KioskError } from '../../app/errors';
import { openMainRooms, type MainServices } from '../mainRooms';
import type { HandlerTable } from './dispatcher';

export type { MainServices };

/**
 * main's handler table: one entry per contract method, its guard first (`staff.require()` for
 * staff-only requests, `whenSetUp` for a visitor's), the work in main's rooms (mainRooms.ts).
 * Electron registers it through the dispatcher; tests and `npm run preview` host it directly.
 */
export async function createHandlers(services: MainServices): Promise<HandlerTable & { dispose(): void }> {
  const { station, settings, audit, backend, staff, session, staffArrived, closeDocuments } = await openMainRooms(services);
  /** A visitor's request: refused on a station that is not set up. */
  const whenSetUp =
    <I, O>(handler: (input: I) => Promise<O>) =>
    async (input: I) => {
      station.pinHash();
      return handler(input);
    };
  const view = async () => {
    const { staffPinHash: _neverSent, ...visible } = settings();
    const unlocked = staff.unlockedUntil();
    return {
      ...visible,
      // Staff names only behind the PIN: a visitor who taps Staff sees no one's name.
      staffNames: unlocked ? visible.staffNames : [],
      passwordStored: await backend.passwordStored(),
      provisioned: station.setUp,
      provisioningRefused: station.provisioningRefused,
      staffUnlockedUntil: unlocked,
    };
  };

  return {
    'settings.get': view,
    'settings.update': async ({ pin, ...change }) => {
      // What a visitor at a screen staff left unlocked must never do asks for the PIN again.
      if (change.debug === true || change.backend !== undefined) await staff.confirm(pin ?? '');
      else staff.require();
      await station.update(change);
      return view();
    },
    'staff.unlock': async ({ pin }) => {
      const opened = await staff.unlock(pin);
      await staffArrived();
      return opened;
    },
    'staff.lock': async () => staff.lock(),
    'staff.identify': async ({ name }) => staff.identify(name),
    'staff.active': async () => {
      staff.require();
      return { active: true as const };
    },
    'staff.setPin': async ({ current, pin }) => staff.changePin(current, pin),
    'staff.quitKiosk': async ({ pin }) => {
      await staff.confirm(pin);
      if (!services.quit) throw new KioskError('invalid_request', 'There is no kiosk window to close here.');
      audit.note('kiosk.quit');
      setTimeout(services.quit, 0); // answer first, then quit
      return { quitting: true as const };
    },
    'audit.list': async (query) => {
      staff.require();
      return { ...audit.log.list(query), forwarding: audit.forwarding() };
    },
    'audit.exportCsv': async (query) => {
      staff.require();
      const exported = audit.log.exportCsv(query);
      audit.note('audit.exported', { count: exported.count, decision: query.decision ?? null, from: query.from ?? null, to: query.to ?? null });
      return exported;
    },
    'audit.staffActions': async (query) => {
      staff.require();
      return audit.log.listStaffActions(query);
    },
    'audit.exportStaffCsv': async (query) => {
      staff.require();
      const exported = audit.log.exportStaffCsv(query);
      audit.note('audit.exported', { count: exported.count, what: 'staff actions', from: query.from ?? null, to: query.to ?? null });
      return exported;
    },
    'credentials.setPassword': async ({ password, pin }) => {
      await staff.confirm(pin);
      const stored = await backend.storePassword(password);
      if (!stored) throw new KioskError('settings_invalid', 'Choose a remote service before storing its password.');
      audit.note('credentials.stored', stored);
      return { stored: true as const };
    },
    'connection.test': async () => {
      staff.require();
      const { expiresAt } = await (await backend.client()).checkConnection();
      return { tokenExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
    },
    'verification.consent': whenSetUp(async ({ agreed }) => {
      audit.note(agreed ? 'consent.agreed' : 'consent.declined');
      return { recorded: true as const };
    }),
    'verification.setIdPhoto': whenSetUp(session.setIdPhoto),
    'verification.setIdDocument': whenSetUp(({ image, wholeImage }) => session.setIdDocument(image, { wholeImage })),
    'verification.documentRead': whenSetUp(() => session.documentRead()),
    'verification.setDocumentExpiry': whenSetUp(({ expiryDate }) => session.setDocumentExpiry(expiryDate)),
    'document.find': whenSetUp(async ({ image }) => ({ sighting: await session.findDocument(image) })),
    'verification.setLivePhoto': whenSetUp(session.setLivePhoto),
    'verification.run': whenSetUp(({ attempt }) => session.run(attempt)),
    'verification.reset': async () => ({ wiped: true as const, ...(await session.reset()) }),
    'review.get': async () => {
      staff.require();
      return { pending: session.pendingReview() };
    },
    'review.decide': async ({ approved, reason }) => {
      staff.require();
      const waiting = session.reviewWaiting();
      if (!waiting) throw new KioskError('invalid_request', 'No visit is waiting for a review: it was decided or the visit ended.');
      const { why, errorCode, attempt, checkId } = waiting;
      audit.note(approved ? 'review.approved' : 'review.denied', { reviewer: staff.reviewer(), reason, why, errorCode, attempt, checkId: checkId ?? null });
      await session.reset(); // the review is over: its images go now, not when the visitor walks away
      return { recorded: true as const };
    },
    dispose() {
      station.dispose();
      void session.reset().finally(closeDocuments);
      backend.signOut();
      void audit.dispose();
    },
  };
}
