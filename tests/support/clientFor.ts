import { createBiointellicClient, type ClientOptions } from '../../main/biointellic/client';
import { createLogger } from '../../main/log';

/**
 * A client as user admin/hunter2 against a Biointellic URL (the test server or the engine), with
 * fast backoff, every log line captured, and what went over the wire counted (real fetch,
 * instrumented, not a stand-in).
 */
export function clientFor(target: { url: string }, overrides: Partial<ClientOptions> = {}) {
  const logs: string[] = [];
  const seen = { authenticate: 0, statuses: [] as number[] };
  const send = overrides.fetch ?? fetch;
  const client = createBiointellicClient({
    baseUrl: target.url,
    userId: 'admin',
    getPassword: async () => 'hunter2',
    timeoutMs: 2_000,
    backoffMs: 5,
    logger: createLogger((line) => logs.push(line), { minLevel: 'debug' }),
    ...overrides,
    fetch: async (input, init) => {
      if (String(input).includes('/api/authenticate')) seen.authenticate += 1;
      const response = await send(input, init);
      seen.statuses.push(response.status);
      return response;
    },
  });
  return { client, logs, seen };
}
