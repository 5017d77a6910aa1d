import { CONTRACT_NAMES, channelOf, type ContractName } from './channels';
import type { InputOf, Progress, ResultOf } from './contract';
import type { Result } from './errors';

type Method<N extends ContractName> = InputOf<N> extends undefined ? () => Promise<Result<ResultOf<N>>> : (input: InputOf<N>) => Promise<Result<ResultOf<N>>>;

type Group = ContractName extends `${infer G}.${string}` ? G : never;

/** `window.kiosk`: one named method per contract entry (kiosk.verification.run()), plus progress events. */
export type KioskApi = {
  [G in Group]: { [N in ContractName as N extends `${G}.${infer M}` ? M : never]: Method<N> };
} & {
  events: { onProgress(listener: (progress: Progress) => void): () => void };
};

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds the API from the contract table, so the preload (over ipcRenderer) and the test bridge
 * (over Playwright's exposeBinding) expose exactly the same methods and nothing else.
 */
export function buildKioskApi(invoke: Invoke, subscribe: Subscribe): KioskApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of CONTRACT_NAMES) {
    const [group, method] = name.split('.') as [string, string];
    (api[group] ??= {})[method] = (input?: unknown) => invoke(channelOf(name), input);
  }
  api.events = {
    onProgress: (listener: (progress: Progress) => void) => subscribe(channelOf('verification.progress'), (payload) => listener(payload as Progress)),
  };
  return api as unknown as KioskApi;
}
