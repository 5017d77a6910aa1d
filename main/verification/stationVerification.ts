import type { Progress } from '../../app/contract';
import type { AuditTrail } from '../audit/auditTrail';
import type { BiointellicClient } from '../biointellic/client';
import type { Logger } from '../log';
import { openAttemptLimits } from './attemptLimits';
import { createVerificationSession } from './session';
import { createDocumentReader } from '../document/documentReader';

/** The visit's checks with the station's limits across visits (attemptLimits.ts) and its audit trail. */
export async function openStationVerification(options: {
  dataDir: string;
  now: () => number;
  audit: AuditTrail;
  client: () => Promise<BiointellicClient>;
  forgetAnalyses?: () => Promise<void>;
  preanalyze?: (bytes: Uint8Array) => Promise<void>;
  debug: () => boolean;
  judging: Parameters<typeof createVerificationSession>[0]['judging'];
  onProgress: (progress: Progress) => void;
  logger: Logger;
}) {
  const { audit } = options;
  const limits = await openAttemptLimits(options.dataDir, options.now);
  const documents = createDocumentReader({ now: () => new Date(options.now()) });
  const session = createVerificationSession({
    limits: {
      check: limits.check,
      failed: async (idKey) => {
        if (await limits.failed(idKey)) audit.note('station.locked', { reason: 'repeated unsuccessful checks' }, 'warn');
      },
    },
    client: options.client,
    ...(options.forgetAnalyses ? { forgetAnalyses: options.forgetAnalyses } : {}),
    ...(options.preanalyze ? { preanalyze: options.preanalyze } : {}),
    debug: options.debug,
    judging: options.judging,
    onProgress: options.onProgress,
    logger: options.logger,
    audit: audit.recordCheck,
    documents,
  });
  return {
    session,
    /** Stops the MRZ reader's OCR worker thread. */
    closeDocuments: () => documents.close(),
    /** Staff are at the station: a station stopped by repeated unsuccessful checks checks again. */
    async staffArrived(): Promise<void> {
      if (await limits.clear()) audit.note('station.unlocked');
    },
  };
}
