/** Writes audit records as fast as it can, printing each id once record() has returned (committed). */
import { openAuditLog } from '../../main/audit/auditLog';

const log = openAuditLog(process.argv[2]!);
for (let i = 0; ; i++) {
  const id = log.record({
    station: 'crash-test',
    backend: 'local',
    backendUrl: 'built-in engine',
    attempt: 1,
    livenessRequestId: `l-${i}`,
    livenessScore: 0.9,
    livenessPass: true,
    matchRequestId: `m-${i}`,
    matchScore: 70,
    matchPass: true,
    rejectionCode: null,
    durationMs: i,
    decision: 'verified',
    debug: false,
    blink: 'seen',
    documentKind: null,
    documentState: null,
    documentExpiry: null,
    documentMrz: null,
  });
  process.stdout.write(`${id}\n`);
}
