import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Biointellic Kiosk';

/**
 * The directory Electron calls userData, computed the same way so the CLI and the app share
 * settings. KIOSK_DATA_DIR overrides it (tests, several stations on one machine).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KIOSK_DATA_DIR) return env.KIOSK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}
