import { createKeytarStore } from '../credentials/keychain';
import { defaultDataDir } from '../paths';
import { runCli } from './cli';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  dataDir: defaultDataDir(),
  store: createKeytarStore(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
});
// Exit explicitly: a keychain call abandoned after its timeout would otherwise keep the process alive.
process.exit(code);
