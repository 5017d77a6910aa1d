/**
 * A real syslog collector for the tests: Debian's rsyslogd (rsyslog-gnutls) listening for RFC
 * 5425 syslog over TLS on loopback, with a certificate from a test CA made here by openssl, each
 * message it parses written to a file as `hostname|msgid|structured-data|msg`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((path) => existsSync(path));

/** A CA and a server certificate for localhost/127.0.0.1 signed by it, as PEM files in `dir`. */
export async function testCertificates(dir: string, name: string): Promise<{ caPem: string; cert: string; key: string }> {
  const at = (file: string) => join(dir, `${name}-${file}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', `/CN=${name} test CA`]);
  await run('openssl', ['req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost']);
  await writeFile(at('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.pem'),
    '-days',
    '2',
    '-extfile',
    at('ext.cnf'),
  ]);
  return { caPem: await readFile(at('ca.pem'), 'utf8'), cert: at('server.pem'), key: at('server.key') };
}

const listening = async (port: number, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        done(true);
      }).once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rsyslogd did not listen on ${port} within ${timeoutMs} ms`);
};

export interface Collector {
  port: number;
  /** The messages rsyslog has written so far, one per line. */
  received(): Promise<string[]>;
  stop(): Promise<void>;
  /** Starts again on the same port, writing to the same file. */
  start(): Promise<void>;
}

export async function startRsyslog(options: { port: number; cert: string; key: string }): Promise<Collector> {
  if (!RSYSLOGD) throw new Error('rsyslogd is not installed: scripts/setup.sh installs rsyslog and rsyslog-gnutls');
  const dir = await mkdtemp(join(tmpdir(), 'rsyslog-'));
  await mkdir(join(dir, 'work'));
  const out = join(dir, 'received.log');
  await writeFile(
    join(dir, 'rsyslog.conf'),
    `global(workDirectory="${dir}/work" defaultNetstreamDriver="gtls" defaultNetstreamDriverCertFile="${options.cert}" defaultNetstreamDriverKeyFile="${options.key}")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" port="${options.port}" address="127.0.0.1")
template(name="fields" type="string" string="%hostname%|%msgid%|%structured-data%|%msg%\\n")
action(type="omfile" file="${out}" template="fields")
`,
  );
  let child: ChildProcess | null = null;
  const collector: Collector = {
    port: options.port,
    async received() {
      const text = await readFile(out, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async start() {
      child = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: 'ignore' });
      await listening(options.port, 10_000);
    },
    async stop() {
      const stopping = child;
      child = null;
      if (!stopping || stopping.exitCode !== null) return;
      await new Promise((done) => {
        stopping.once('exit', done);
        stopping.kill('SIGTERM');
      });
    },
  };
  await collector.start();
  return collector;
}
