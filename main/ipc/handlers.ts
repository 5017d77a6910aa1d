import type { Progress } from '../../app/contract';
import { KioskError } from '../../app/errors';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEBUG_DEFAULT_HOURS, debugActive, type Settings } from '../../app/settings';
import { openAuditLog, type StaffAction } from '../audit/auditLog';
import { hashPassword, verifyPassword } from '../../engine/http/users';
import { createBiointellicClient, type BiointellicClient } from '../biointellic/client';
import { keychainAccount, requiredPassword, type CredentialStore } from '../credentials/keychain';
import { readSettings, writeSettings } from '../credentials/settingsFile';
import { applyProvisioningFile, isSetUp } from '../settings/provisioning';
import type { LogFields, Logger } from '../log';
import { openPinLockout } from '../staff/pinLockout';
import { openAttemptLimits } from '../verification/attemptLimits';
import { createVerificationSession } from '../verification/session';
import type { HandlerTable } from './dispatcher';

/** A running local engine: where it listens and the generated account the kiosk uses on it. */
export interface LocalBackend {
  url: string;
  userId: string;
  password: () => Promise<string>;
}

export interface MainServices {
  dataDir: string;
  store: CredentialStore;
  logger: Logger;
  emitProgress: (progress: Progress) => void;
  /** Starts (once) and returns the built-in engine, used when no remote service is configured. */
  localBackend: () => Promise<LocalBackend>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Leaves kiosk mode and quits (Electron); absent where there is nothing to quit. */
  quit?: () => void;
}

/** How long a correct staff PIN opens staff-only requests. */
export const STAFF_UNLOCK_MS = 5 * 60_000;

/**
 * main's handler table: every contract entry, implemented with the framework-free modules.
 * Electron registers it through the dispatcher; tests and `npm run preview` host it directly.
 */
export async function createHandlers(services: MainServices): Promise<HandlerTable & { dispose(): void }> {
  // A fresh machine has no data folder yet (the CLI and the preview do not get one from Electron).
  await mkdir(services.dataDir, { recursive: true, mode: 0o700 });
  let initial = await readSettings(services.dataDir);
  if (initial.status === 'corrupt') {
    services.logger.log('error', 'settings.corrupt', { keptAs: initial.keptAs, reason: initial.reason });
  }
  const provisioning = await applyProvisioningFile(services.dataDir, initial);
  if (provisioning.status === 'applied') initial = { status: 'ok', settings: provisioning.settings };
  if (provisioning.status === 'rejected') services.logger.log('error', 'provisioning.rejected', { keptAs: provisioning.keptAs, reason: provisioning.reason });
  // Fails closed: a station with no (readable) settings or no staff PIN verifies nobody, and the
  // first person at the screen cannot choose the PIN. Only IT's provisioning sets it up.
  const setUp = isSetUp(initial);
  if (!setUp) services.logger.log('warn', 'station.not_set_up', { settings: initial.status });
  let settings: Settings = initial.settings;
  let cached: { key: string; client: BiointellicClient } | null = null;

  async function target() {
    if (settings.backend.kind === 'local') return services.localBackend();
    const { url, userId } = settings.backend;
    const account = keychainAccount(userId, url);
    return { url, userId, password: () => requiredPassword(services.store, account, 'staff can store it in the settings') };
  }

  /** One client (and so one token) per service and user, replaced when either changes. */
  async function client(): Promise<BiointellicClient> {
    const backend = await target();
    const key = `${backend.url} ${backend.userId} ${settings.requestTimeoutMs}`;
    if (cached?.key !== key) {
      cached?.client.signOut();
      cached = {
        key,
        client: createBiointellicClient({
          baseUrl: backend.url,
          userId: backend.userId,
          getPassword: backend.password,
          timeoutMs: settings.requestTimeoutMs,
          logger: services.logger,
          ...(services.fetch ? { fetch: services.fetch } : {}),
        }),
      };
    }
    return cached.client;
  }

  async function passwordStored(): Promise<boolean> {
    if (settings.backend.kind === 'local') return true;
    try {
      return (await services.store.get(keychainAccount(settings.backend.userId, settings.backend.url))) !== null;
    } catch {
      return false;
    }
  }

  const audit = openAuditLog(join(services.dataDir, 'audit.sqlite'));
  /** A staff action (or a lock staff must lift): in main.log and in the audit database. */
  function note(action: StaffAction, detail: LogFields = {}, level: 'info' | 'warn' = 'info'): void {
    services.logger.log(level, action, detail);
    try {
      audit.recordStaffAction({ station: settings.stationName, action, detail });
    } catch (error) {
      services.logger.log('error', 'audit.write_failed', { reason: error instanceof Error ? error.message : 'unknown' });
    }
  }
  const purge = () => {
    const deleted = audit.purgeOlderThan(settings.auditRetentionDays);
    if (deleted > 0) services.logger.log('info', 'audit.purged', { deleted, days: settings.auditRetentionDays });
  };
  if (provisioning.status === 'applied') note('station.provisioned', { backend: settings.backend.kind, source: 'provisioning file' });
  purge();
  const purgeTimer = setInterval(purge, 24 * 3_600_000);
  purgeTimer.unref();

  const now = services.now ?? Date.now;
  const limits = await openAttemptLimits(services.dataDir, now);
  const session = createVerificationSession({
    limits: {
      check: limits.check,
      failed: async (idKey) => {
        if (await limits.failed(idKey)) note('station.locked', { reason: 'repeated unsuccessful checks' }, 'warn');
      },
    },
    client,
    debug: () => debugActive(settings, now()),
    onProgress: services.emitProgress,
    logger: services.logger,
    audit: (entry) => {
      const backend = settings.backend;
      try {
        audit.record({
          ...entry,
          station: settings.stationName,
          backend: backend.kind,
          backendUrl: backend.kind === 'remote' ? backend.url : 'built-in engine',
        });
      } catch (error) {
        // The visitor's answer must not be lost to a full disk; staff see it in the log.
        services.logger.log('error', 'audit.write_failed', { reason: error instanceof Error ? error.message : 'unknown' });
      }
    },
  });

  const pinLockout = await openPinLockout(services.dataDir, now);
  if (pinLockout.unreadable) services.logger.log('error', 'staff.pin_lockout_unreadable');
  /** A PIN check behind the lockout: refused while it runs, every wrong PIN counted and logged. */
  async function pinMatches(pin: string, hash: string): Promise<boolean> {
    pinLockout.check();
    if (await verifyPassword(pin, hash)) {
      await pinLockout.succeeded();
      return true;
    }
    const locked = await pinLockout.failed();
    note('pin.rejected', {}, 'warn');
    if (locked) note('pin.locked', { until: new Date(locked.lockedUntil).toISOString() }, 'warn');
    return false;
  }
  let staffUntil = 0;
  const staffOpen = () => now() < staffUntil;
  const unlock = () => {
    staffUntil = now() + STAFF_UNLOCK_MS;
    return { until: new Date(staffUntil).toISOString() };
  };
  /** The PIN hash IT provisioned; on a station that is not set up, station_not_set_up. */
  function provisionedPinHash(): string {
    if (!setUp || settings.staffPinHash === null) {
      throw new KioskError(
        'station_not_set_up',
        'This station is not set up: IT must provision it (a provisioning file or "npm run cli -- provision"). It verifies nobody until then.',
      );
    }
    return settings.staffPinHash;
  }
  /** A visitor's request: refused on a station that is not set up. */
  const whenSetUp =
    <I, O>(handler: (input: I) => Promise<O>) =>
    async (input: I) => {
      provisionedPinHash();
      return handler(input);
    };
  /** The PIN gate is enforced here in main, not only on screen: a renderer cannot skip it. */
  function requireStaff(): void {
    if (!staffOpen()) throw new KioskError('forbidden', 'Staff settings are locked; enter the staff PIN first.');
  }

  async function save(next: Settings): Promise<void> {
    await writeSettings(services.dataDir, next);
    settings = next;
  }

  /** Debug switches itself off at its end, on disk too, so it cannot be left on by forgetting. */
  let debugTimer: NodeJS.Timeout | undefined;
  function scheduleDebugOff(): void {
    clearTimeout(debugTimer);
    if (!settings.debug) return;
    const left = settings.debugUntil === null ? 0 : Date.parse(settings.debugUntil) - now();
    debugTimer = setTimeout(
      () => {
        void save({ ...settings, debug: false, debugUntil: null })
          .then(() => note('debug.off', { reason: 'expired' }))
          .catch((error: unknown) => services.logger.log('error', 'debug.expire_failed', { reason: error instanceof Error ? error.message : 'unknown' }));
      },
      Math.max(0, Math.min(left, 2 ** 31 - 1)),
    );
    debugTimer.unref();
  }
  scheduleDebugOff();

  const view = async () => {
    const { staffPinHash: _neverSent, ...visible } = settings;
    return {
      ...visible,
      passwordStored: await passwordStored(),
      provisioned: setUp,
      staffUnlockedUntil: staffOpen() ? new Date(staffUntil).toISOString() : null,
    };
  };

  return {
    'settings.get': view,
    'settings.update': async (change) => {
      requireStaff();
      const { debugHours, ...rest } = change;
      const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      const debugUntil =
        change.debug === true
          ? new Date(now() + (debugHours ?? DEBUG_DEFAULT_HOURS) * 3_600_000).toISOString()
          : change.debug === false
            ? null
            : settings.debugUntil;
      const wasDebug = settings.debug;
      await save({ ...settings, ...defined, debugUntil, cameras: { ...settings.cameras, ...change.cameras } });
      note('settings.updated', { changed: Object.keys(defined).join(','), backend: settings.backend.kind });
      if (change.debug === true) note('debug.on', { until: debugUntil });
      else if (change.debug === false && wasDebug) note('debug.off', { reason: 'staff' });
      scheduleDebugOff();
      return view();
    },
    'staff.unlock': async ({ pin }) => {
      if (!(await pinMatches(pin, provisionedPinHash()))) throw new KioskError('pin_rejected', 'That PIN is not correct.');
      // Staff are at the station: a station stopped by repeated unsuccessful checks checks again.
      note('staff.unlocked');
      if (await limits.clear()) note('station.unlocked');
      return unlock();
    },
    'staff.lock': async () => {
      staffUntil = 0;
      return { locked: true as const };
    },
    'audit.list': async (query) => {
      requireStaff();
      return audit.list(query);
    },
    'audit.exportCsv': async (query) => {
      requireStaff();
      const exported = audit.exportCsv(query);
      note('audit.exported', { count: exported.count, decision: query.decision ?? null, from: query.from ?? null, to: query.to ?? null });
      return exported;
    },
    'staff.quitKiosk': async () => {
      requireStaff();
      if (!services.quit) throw new KioskError('invalid_request', 'There is no kiosk window to close here.');
      note('kiosk.quit');
      setTimeout(services.quit, 0); // answer first, then quit
      return { quitting: true as const };
    },
    'staff.setPin': async ({ current, pin }) => {
      if (!(await pinMatches(current, provisionedPinHash()))) throw new KioskError('pin_rejected', 'The current PIN is not correct.');
      await save({ ...settings, staffPinHash: await hashPassword(pin) });
      note('pin.set');
      return unlock();
    },
    'credentials.setPassword': async ({ password }) => {
      requireStaff();
      if (settings.backend.kind !== 'remote') {
        throw new KioskError('settings_invalid', 'Choose a remote service before storing its password.');
      }
      await services.store.set(keychainAccount(settings.backend.userId, settings.backend.url), password);
      note('credentials.stored', { userId: settings.backend.userId, url: settings.backend.url });
      cached?.client.signOut();
      return { stored: true as const };
    },
    'connection.test': async () => {
      requireStaff();
      const { expiresAt } = await (await client()).checkConnection();
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
      clearTimeout(debugTimer);
      void session.reset();
      cached?.client.signOut();
      clearInterval(purgeTimer);
      audit.close();
    },
  };
}
