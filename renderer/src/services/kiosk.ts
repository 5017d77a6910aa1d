import type { KioskApi } from '../../../app/kioskApi';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the test bridge (Playwright): never ipcRenderer. */
    kiosk: KioskApi;
  }
}

/** The only door to main. Everything else in the renderer goes through the stores. */
export const kiosk = (): KioskApi => window.kiosk;
