import { createBiointellicClient, type ClientOptions } from '../../main/biointellic/client';
import { createLogger } from '../../main/log';
import type { TestServer } from './biointellicTestServer';

/** A client against the test server, with fast backoff and every log line captured. */
export function clientFor(server: TestServer, overrides: Partial<ClientOptions> = {}) {
  const logs: string[] = [];
  const client = createBiointellicClient({
    baseUrl: server.url,
    userId: 'admin',
    getPassword: async () => 'hunter2',
    timeoutMs: 2_000,
    backoffMs: 5,
    logger: createLogger((line) => logs.push(line), { minLevel: 'debug' }),
    ...overrides,
  });
  return { client, logs };
}
