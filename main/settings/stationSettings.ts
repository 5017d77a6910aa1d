import type { InputOf } from '../../app/contract';
import { KioskError } from '../../app/errors';
import { DEBUG_DEFAULT_HOURS, type Settings } from '../../app/settings';
import type { AuditTrail } from '../audit/auditTrail';
import { readSettings, writeSettings } from './settingsFile';
import type { Logger } from '../log';
import { applyProvisioningFile, isSetUp } from './provisioning';

type Note = AuditTrail['note'];

/**
 * The station's settings: read at start (IT's provisioning file applied first), saved atomically,
 * and whether the station is set up at all. Debug switches itself off at its end, on disk too,
 * so it cannot be left on by forgetting.
 */
export async function openStationSettings(options: { dataDir: string; logger: Logger; now: () => number }) {
  const { dataDir, logger, now } = options;
  let initial = await readSettings(dataDir);
  if (initial.status === 'corrupt') logger.log('error', 'settings.corrupt', { keptAs: initial.keptAs, reason: initial.reason });
  const provisioning = await applyProvisioningFile(dataDir, initial);
  if (provisioning.status === 'applied') initial = { status: 'ok', settings: provisioning.settings };
  if (provisioning.status === 'rejected') logger.log('error', 'provisioning.rejected', { reason: provisioning.reason });
  // Fails closed: a station with no (readable) settings or no staff PIN verifies nobody, and the
  // first person at the screen cannot choose the PIN. Only IT's provisioning sets it up.
  const setUp = isSetUp(initial);
  if (!setUp) logger.log('warn', 'station.not_set_up', { settings: initial.status });
  let settings: Settings = initial.settings;
  let note: Note = () => undefined;
  let debugTimer: NodeJS.Timeout | undefined;

  let ended: () => void = () => undefined;

  async function save(next: Settings): Promise<void> {
    await writeSettings(dataDir, next);
    settings = next;
  }

  function scheduleDebugOff(): void {
    clearTimeout(debugTimer);
    if (!settings.debug) return;
    const left = settings.debugUntil === null ? 0 : Date.parse(settings.debugUntil) - now();
    debugTimer = setTimeout(
      () => {
        void save({ ...settings, debug: false, debugUntil: null })
          .then(() => {
            note('debug.off', { reason: 'expired' });
            ended();
          })
          .catch((error: unknown) => logger.log('error', 'debug.expire_failed', { reason: error instanceof Error ? error.message : 'unknown' }));
      },
      Math.max(0, Math.min(left, 2 ** 31 - 1)),
    );
    debugTimer.unref();
  }

  return {
    setUp,
    /** Why the provisioning file found at this start was refused (shown to staff), or null. */
    provisioningRefused: provisioning.status === 'rejected' ? provisioning.reason : null,
    current: () => settings,
    save,
    /**
     * Starts recording to the audit trail (opened with these settings) and the debug timer;
     * `debugEnded` runs whenever debug switches off (the built-in engine prunes what it kept).
     */
    start(recordAction: Note, debugEnded: () => void): void {
      note = recordAction;
      ended = debugEnded;
      if (provisioning.status === 'applied')
        note('station.provisioned', { backend: settings.backend.kind, source: provisioning.signed ? 'signed provisioning file' : 'provisioning file' });
      if (provisioning.status === 'rejected') note('provisioning.refused', { reason: provisioning.reason }, 'warn');
      scheduleDebugOff();
    },
    /** A staff change: saved, recorded, and debug given its end (DEBUG_DEFAULT_HOURS unless staff chose). */
    async update(change: InputOf<'settings.update'>): Promise<void> {
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
      else if (change.debug === false && wasDebug) {
        note('debug.off', { reason: 'staff' });
        ended();
      }
      scheduleDebugOff();
    },
    /** The PIN hash IT provisioned; on a station that is not set up, station_not_set_up. */
    pinHash(): string {
      if (!setUp || settings.staffPinHash === null) {
        throw new KioskError(
          'station_not_set_up',
          'This station is not set up: IT must provision it (a provisioning file or "npm run cli -- provision"). It verifies nobody until then.',
        );
      }
      return settings.staffPinHash;
    },
    dispose(): void {
      clearTimeout(debugTimer);
    },
  };
}

export type StationSettings = Awaited<ReturnType<typeof openStationSettings>>;
