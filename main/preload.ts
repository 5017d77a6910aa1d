// The renderer's only door to main: named methods from the contract, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildKioskApi } from '../app/kioskApi';

contextBridge.exposeInMainWorld(
  'kiosk',
  buildKioskApi(
    (channel, input) => ipcRenderer.invoke(channel, input),
    (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  ),
);
