/**
 * main's rooms, each owning one concern, opened in order on one data folder: the station's
 * settings (and whether IT set it up), the audit trail, the service client, the staff PIN, the
 * visit's checks. The handler table (ipc/handlers.ts) is the only thing that joins them.
 */
import type { Progress } from '../app/contract';
import { mkdir } from 'node:fs/promises';
import { debugActive } from '../app/settings';
import { auditChainKey } from './audit/auditChain';
import { openAuditTrail } from './audit/auditTrail';
import { createServiceClient, type LocalBackend } from './backend/serviceClient';
import type { CredentialStore } from './credentials/keychain';
import type { Logger } from './log';
import { openStationSettings } from './settings/stationSettings';
import { stationPepper } from './staff/pinPepper';
import { openStaffAccess } from './staff/staffAccess';
import { openStationVerification } from './verification/stationVerification';

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

export async function openMainRooms(services: MainServices) {
  const { dataDir, logger } = services;
  const now = services.now ?? Date.now;
  // A fresh machine has no data folder yet (the CLI and the preview do not get one from Electron).
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const station = await openStationSettings({ dataDir, logger, now });
  const settings = station.current;
  // The key that seals each audit row (audit/auditChain.ts); without the keychain, rows are kept unsealed and verify says so.
  const chainKey = await auditChainKey(services.store, dataDir)().catch((error: unknown) => {
    logger.log('error', 'audit.chain_key_unavailable', { reason: error instanceof Error ? error.message : String(error) });
    return null;
  });
  const audit = openAuditTrail({ dataDir, logger, settings, chainKey });
  station.start(audit.note, () => {
    void backend
      .pruneDebug()
      .catch((error: unknown) => logger.log('error', 'engine.debug_prune_failed', { reason: error instanceof Error ? error.message : String(error) }));
  });
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
    staffNames: () => settings().staffNames,
    idleMs: () => settings().staffIdleSeconds * 1000,
    savePinHash: (staffPinHash) => station.save({ ...settings(), staffPinHash }),
    pepper: stationPepper(services.store, dataDir),
  });
  const { session, staffArrived, closeDocuments } = await openStationVerification({
    dataDir,
    now,
    audit,
    client: backend.client,
    forgetAnalyses: backend.forgetAnalyses,
    preanalyze: backend.preanalyze,
    debug: () => debugActive(settings(), now()),
    judging: settings,
    onProgress: services.emitProgress,
    logger,
  });
  return { station, settings, audit, backend, staff, session, staffArrived, closeDocuments };
}
