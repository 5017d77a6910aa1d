/** Reads one password through the kiosk's store and prints the outcome: run in a child with a chosen D-Bus. */
import { toErrorData } from '../../app/errors';
import { createKeytarStore } from '../../main/credentials/keychain';

const store = createKeytarStore({ timeoutMs: 3_000 });
store
  .get(process.argv[2] ?? 'probe@example')
  .then((value) => console.log(JSON.stringify({ ok: true, found: value !== null })))
  .catch((error: unknown) => console.log(JSON.stringify({ ok: false, error: toErrorData(error) })))
  .finally(() => process.exit(0));
