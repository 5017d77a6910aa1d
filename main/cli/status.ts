/**
 * `status`: the station as the kiosk would load it at its next start, for IT, changing nothing
 * (a corrupt settings file is not moved aside, a waiting provisioning file is judged, not applied).
 */
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, debugActive } from '../../app/settings';
import { peekPinLockout } from '../staff/pinLockout';
import { SETTINGS_FILE, type SettingsRead } from '../settings/settingsFile';
import { describeBackend, isSetUp, judgeProvisioningFile } from '../settings/provisioning';
import { readJsonFile } from '../storage/stateFile';
import { peekStationLocked } from '../verification/attemptLimits';

export async function stationStatus(dataDir: string, now = Date.now): Promise<{ text: string; data: Record<string, unknown> }> {
  const file = await readJsonFile(join(dataDir, SETTINGS_FILE), SettingsSchema);
  const read: SettingsRead = file.status === 'ok' ? { status: 'ok', settings: file.value } : { status: 'missing', settings: DEFAULT_SETTINGS };
  const { settings } = read;
  const waiting = await judgeProvisioningFile(dataDir, read);
  const lockout = await peekPinLockout(dataDir, now);
  const data = {
    dataDir,
    setUp: isSetUp(read),
    settingsFile: file.status === 'invalid' ? `unreadable (${file.reason}): the kiosk will set it aside and verify nobody` : file.status,
    backend: settings.backend,
    stationName: settings.stationName,
    debugUntil: debugActive(settings, now()) ? settings.debugUntil : null,
    pinLockedUntil: lockout.lockedUntil === null ? null : new Date(lockout.lockedUntil).toISOString(),
    stationLocked: await peekStationLocked(dataDir),
    trustsItKey: settings.itPublicKey !== null,
    provisioningSerial: settings.provisioningSerial,
    provisioningFile:
      waiting.status === 'none'
        ? null
        : waiting.status === 'accept'
          ? { wouldApply: true, signed: waiting.signed }
          : { wouldApply: false, reason: waiting.reason },
  };
  const lines = [
    data.setUp
      ? `Set up: "${settings.stationName || '(no name)'}" on ${describeBackend(settings.backend)}.`
      : 'Not set up: this station verifies nobody until IT provisions it.',
    `Settings file: ${data.settingsFile}.`,
    `Debug: ${data.debugUntil ? `on until ${data.debugUntil}` : 'off'}.`,
    `Staff PIN: ${data.pinLockedUntil ? `locked until ${data.pinLockedUntil}${lockout.unreadable ? ' (its lockout record is unreadable)' : ''}` : 'not locked'}.`,
    `Checks: ${data.stationLocked ? 'stopped after repeated unsuccessful checks until staff unlock' : 'running'}.`,
    `Provisioning: ${data.trustsItKey ? `trusts an IT key; last signed serial ${settings.provisioningSerial}` : 'trusts no IT key'}; ${
      waiting.status === 'none'
        ? 'no file waiting'
        : waiting.status === 'accept'
          ? 'a file is waiting and would be applied'
          : `a file is waiting and would be refused: ${waiting.reason}`
    }.`,
  ];
  return { text: lines.join('\n'), data };
}
