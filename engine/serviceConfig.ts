import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseLivenessPass } from './analysis/scores';

/**
 * The engine service's settings as IT writes them in a JSON file (`--config`, e.g. a Kubernetes
 * ConfigMap); the command line and the environment override any of them. Secrets are never in
 * it: the users file holds scrypt hashes and the signing key is a file of its own (a Secret).
 */
export const ConfigFileSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65_535),
    workers: z.number().int().min(1).max(64),
    usersFile: z.string().min(1),
    signingKeyFile: z.string().min(1),
    debugDir: z.string().min(1),
    tokenTtlSeconds: z.number().int().min(60).max(86_400),
    livenessPass: z.number().min(0).max(1),
  })
  .partial()
  .strict();

export type ServiceConfig = {
  host: string;
  port: number;
  workers: number | undefined;
  usersFile: string | undefined;
  signingKeyFile: string | undefined;
  debugDir: string;
  tokenTtlSeconds: number;
  livenessPass: number | undefined;
};

/** The command line's (and environment's) values, as parseArgs gives them. */
type Flags = Partial<Record<'config' | 'host' | 'port' | 'workers' | 'users-file' | 'signing-key-file' | 'debug-dir' | 'token-ttl' | 'liveness-pass', string>>;

const integer = (flag: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`--${flag}: a whole number from ${min} to ${max} (got "${text}").`);
  return value;
};

/** Flags over the file over the defaults; throws a sentence naming what is wrong. */
export async function serviceConfig(flags: Flags): Promise<ServiceConfig> {
  let file: z.infer<typeof ConfigFileSchema> = {};
  if (flags.config) {
    let text: string;
    try {
      text = await readFile(flags.config, 'utf8');
    } catch (error) {
      throw new Error(`The config file ${flags.config} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error });
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof ConfigFileSchema>>;
    try {
      parsed = ConfigFileSchema.safeParse(JSON.parse(text));
    } catch (error) {
      throw new Error(`The config file ${flags.config} is not JSON.`, { cause: error });
    }
    if (!parsed.success) {
      throw new Error(`The config file ${flags.config}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}.`);
    }
    file = parsed.data;
  }
  let livenessPass: number | undefined;
  try {
    livenessPass = parseLivenessPass(flags['liveness-pass']) ?? file.livenessPass;
  } catch (error) {
    throw new Error(`--liveness-pass: ${(error as Error).message}`, { cause: error });
  }
  return {
    host: flags.host ?? file.host ?? '127.0.0.1',
    port: integer('port', flags.port, 0, 65_535) ?? file.port ?? 8787,
    workers: integer('workers', flags.workers, 1, 64) ?? file.workers,
    usersFile: flags['users-file'] ?? file.usersFile,
    signingKeyFile: flags['signing-key-file'] ?? file.signingKeyFile,
    debugDir: flags['debug-dir'] ?? file.debugDir ?? join(tmpdir(), 'biointellic-engine-debug'),
    tokenTtlSeconds: integer('token-ttl', flags['token-ttl'], 60, 86_400) ?? file.tokenTtlSeconds ?? 3600,
    livenessPass,
  };
}
