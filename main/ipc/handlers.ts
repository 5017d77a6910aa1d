import type { Progress } from '../../app/contract';
import { KioskError } from '../../app/errors';
import { mkdir } from 'node:fs/promises';
import { debugActive } from '../../app/settings';
import { openAuditTrail } from '../audit/auditTrail';
import { createServiceClient, type LocalBackend } from '../backend/serviceClient';
import type { CredentialStore } from '../credentials/keychain';
import type { Logger } from '../log';
import { openStationSettings } from '../settings/stationSettings';
import { openStaffAccess } from '../staff/staffAccess';
import { openStationVerification } from '../verification/stationVerification';
import type { HandlerTable } from './dispatcher';

export interface MainServices {
  dataDir: string;
  store: CredentialStore;
  logger: Logger;
  emitProgress: (progress: Progress) => void;
  /** Starts (once) and returns the built-in engine, used when the station is set up for it. */
  localBackend: () => Promise<LocalBackend>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Leaves kiosk mode and quits (Electron); absent where there is nothing to quit. */
  quit?: () => void;
}

/**
 * main's handler table: one entry per contract method, its guard first (`staff.require()` for
 * staff-only requests, `whenSetUp` for a visitor's), the work in the rooms below.
 * Electron registers it through the dispatcher; tests and `npm run preview` host it directly.
 */
export async function createHandlers(services: MainServices): Promise<HandlerTable & { dispose(): void }> {
  const { dataDir, logger } = services;
  const now = services.now ?? Date.now;
  // A fresh machine has no data folder yet (the CLI and the preview do not get one from Electron).
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const station = await openStationSettings({ dataDir, logger, now });
  const settings = station.current;
  const audit = openAuditTrail({ dataDir, logger, settings });
  station.start(audit.note);
  const backend = createServiceClient({
    settings,
    store: services.store,
    localBackend: services.localBackend,
    logger,
    ...(services.fetch ? { fetch: services.fetch } : {}),
  });
  const staff = await openStaffAccess({
    dataDir,
    now,
    logger,
    note: audit.note,
    pinHash: station.pinHash,
    savePinHash: (staffPinHash) => station.save({ ...settings(), staffPinHash }),
  });
  const { session, staffArrived } = await openStationVerification({
    dataDir,
    now,
    audit,
    client: backend.client,
    debug: () => debugActive(settings(), now()),
    onProgress: services.emitProgress,
    logger,
  });
  /** A visitor's request: refused on a station that is not set up. */
  const whenSetUp =
    <I, O>(handler: (input: I) => Promise<O>) =>
    async (input: I) => {
      station.pinHash();
      return handler(input);
    };
  const view = async () => {
    const { staffPinHash: _neverSent, ...visible } = settings();
    return { ...visible, passwordStored: await backend.passwordStored(), provisioned: station.setUp, staffUnlockedUntil: staff.unlockedUntil() };
  };

  return {
    'settings.get': view,
    'settings.update': async (change) => {
      staff.require();
      await station.update(change);
      return view();
    },
    'staff.unlock': async ({ pin }) => {
      const opened = await staff.unlock(pin);
      await staffArrived();
      return opened;
    },
    'staff.lock': async () => staff.lock(),
    'staff.setPin': async ({ current, pin }) => staff.changePin(current, pin),
    'staff.quitKiosk': async () => {
      staff.require();
      if (!services.quit) throw new KioskError('invalid_request', 'There is no kiosk window to close here.');
      audit.note('kiosk.quit');
      setTimeout(services.quit, 0); // answer first, then quit
      return { quitting: true as const };
    },
    'audit.list': async (query) => {
      staff.require();
      return audit.log.list(query);
    },
    'audit.exportCsv': async (query) => {
      staff.require();
      const exported = audit.log.exportCsv(query);
      audit.note('audit.exported', { count: exported.count, decision: query.decision ?? null, from: query.from ?? null, to: query.to ?? null });
      return exported;
    },
    'credentials.setPassword': async ({ password }) => {
      staff.require();
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
    'verification.setIdPhoto': whenSetUp(session.setIdPhoto),
    'verification.setLivePhoto': whenSetUp(session.setLivePhoto),
    'verification.run': whenSetUp(({ attempt }) => session.run(attempt)),
    'verification.reset': async () => {
      await session.reset();
      return { wiped: true as const };
    },
    dispose() {
      station.dispose();
      void session.reset();
      backend.signOut();
      audit.dispose();
    },
  };
}
