import { createServer } from 'node:net';

/** A loopback port free now, for a server the test starts, stops and starts again on the same port. */
export const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
