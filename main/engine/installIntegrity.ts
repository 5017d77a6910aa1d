/**
 * The models and wasm files a kiosk ships are unpacked from its archive, where whoever can write
 * the install folder could replace them (a liveness model that calls every face live). The build
 * writes their SHA-256 hashes into a manifest inside the archive (scripts/build-main.mjs); a
 * packaged kiosk checks every file against it before its engine starts, and refuses on a mismatch.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../../app/errors';

/** Where the build writes the manifest, relative to the app's root. */
export const INTEGRITY_MANIFEST = 'dist/main/integrity.json';

const ManifestSchema = z.object({ algorithm: z.literal('sha256'), files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)) });

const sha256 = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });

/** Resolves with how many files were checked; throws `install_damaged` naming the first file that does not match or is missing. */
export async function verifyInstall(appRoot: string): Promise<number> {
  let manifest: z.infer<typeof ManifestSchema>;
  try {
    manifest = ManifestSchema.parse(JSON.parse(await readFile(join(appRoot, INTEGRITY_MANIFEST), 'utf8')));
  } catch (error) {
    throw new KioskError('install_damaged', 'The installation has no readable list of its model checksums: reinstall the kiosk.', { cause: error });
  }
  for (const [file, expected] of Object.entries(manifest.files)) {
    const actual = await sha256(join(appRoot, file)).catch(() => null);
    if (actual !== expected) {
      throw new KioskError(
        'install_damaged',
        `The installation is damaged or altered: ${file} ${actual === null ? 'is missing' : 'does not match its checksum'}. Reinstall the kiosk.`,
      );
    }
  }
  return Object.keys(manifest.files).length;
}
