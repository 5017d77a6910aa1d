import { contract, type ContractName, type InputOf, type ResultOf } from '../../app/contract';
import { KioskError, toErrorData, type Result } from '../../app/errors';
import type { Logger } from '../log';

export type Handler<N extends ContractName> = (input: InputOf<N>) => Promise<ResultOf<N>>;
export type HandlerTable = { [N in ContractName]: Handler<N> };

/** What main knows about who sent a request: Electron's WebFrameMain, or the test bridge's page. */
export interface SenderInfo {
  /** URL of the frame that sent the request. */
  url: string;
  /** True when that frame is the window's top frame, not an iframe. */
  isMainFrame: boolean;
}

export type Dispatch = <N extends ContractName>(name: N, sender: SenderInfo, rawInput: unknown) => Promise<Result<ResultOf<N>>>;

/**
 * The one gate every IPC request passes, as VS Code's validatedIpcMain: the sender must be our
 * own top frame on our own origin, and the input must parse against the contract before any
 * handler runs. Whatever a handler throws comes back as a contract error, never as an exception.
 */
export function createDispatcher(handlers: HandlerTable, options: { trustedOrigin: string; logger: Logger }): Dispatch {
  return async (name, sender, rawInput) => {
    const entry = contract[name];
    if (!entry) return { ok: false, error: new KioskError('invalid_request', `Unknown request "${String(name)}".`).toData() };
    if (!isTrustedSender(sender, options.trustedOrigin)) {
      options.logger.log('warn', 'ipc.forbidden', { name, origin: safeOrigin(sender.url), isMainFrame: sender.isMainFrame });
      return { ok: false, error: new KioskError('forbidden', 'This request did not come from the kiosk window.').toData() };
    }
    const parsed = entry.input.safeParse(rawInput);
    if (!parsed.success) {
      options.logger.log('warn', 'ipc.invalid_input', { name });
      return { ok: false, error: new KioskError('invalid_request', `Invalid input for "${name}".`).toData() };
    }
    try {
      const data = await (handlers[name] as (input: unknown) => Promise<ResultOf<typeof name>>)(parsed.data);
      return { ok: true, data };
    } catch (error) {
      const data = toErrorData(error);
      options.logger.log(error instanceof KioskError ? 'info' : 'error', 'ipc.failed', {
        name,
        code: data.code,
        reason: error instanceof KioskError ? error.message : String(error instanceof Error ? error.name : 'unknown'),
      });
      return { ok: false, error: data };
    }
  };
}

export function isTrustedSender(sender: SenderInfo, trustedOrigin: string): boolean {
  return sender.isMainFrame && safeOrigin(sender.url) === trustedOrigin;
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    // Custom schemes (app://kiosk) have an opaque origin ("null"): compare scheme and host instead.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'invalid';
  }
}
