import { Worker } from 'node:worker_threads';
import type { Analysis } from './analyze';
import { AnalysisFailure, type WorkerReady, type WorkerReply, type WorkerTask } from './workerProtocol';

export interface AnalysisPool {
  analyze(kind: WorkerTask['kind'], bytes: Uint8Array): Promise<Analysis>;
  /**
   * Ends every worker and starts fresh ones: a wasm heap grows to the largest image seen and
   * never shrinks, so an idle kiosk can give that memory back. Requests in flight fail (503) and
   * are retried by the client; queued ones wait for the new workers.
   */
  recycle(): Promise<void>;
  close(): Promise<void>;
  /** Workers running, busy with a task, and tasks waiting for one (readiness, metrics). */
  stats(): { workers: number; busy: number; queued: number };
}

const tsxApi = () => import.meta.resolve('tsx/esm/api');

interface Slot {
  worker: Worker;
  busy: boolean;
  pending: { id: number; resolve: (r: Analysis) => void; reject: (e: Error) => void } | undefined;
}

/**
 * A fixed set of analysis workers fed from one queue. A worker that dies fails its task and is
 * replaced, so one bad image cannot take the engine down.
 */
export async function createAnalysisPool(options: { size: number; workerUrl?: URL; workerData?: unknown }): Promise<AnalysisPool> {
  const workerUrl = options.workerUrl ?? new URL('./worker.ts', import.meta.url);
  const queue: Array<{ task: Omit<WorkerTask, 'id'>; resolve: (r: Analysis) => void; reject: (e: Error) => void }> = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;

  function spawn(): Promise<Slot> {
    return new Promise((resolve, reject) => {
      const worker = workerUrl.pathname.endsWith('.ts')
        ? // Run from source (tests, npm run engine) the worker needs tsx's loader, which Node 20
          // does not pass on to workers; a bundled engine starts plain JS.
          new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`, {
            eval: true,
            workerData: options.workerData,
          })
        : new Worker(workerUrl, { workerData: options.workerData });
      const slot: Slot = { worker, busy: true, pending: undefined };
      worker.on('message', (message: WorkerReply | WorkerReady) => {
        if ('ready' in message) {
          slot.busy = false;
          resolve(slot);
          pump();
          return;
        }
        const pending = slot.pending;
        slot.pending = undefined;
        slot.busy = false;
        if (pending && pending.id === message.id) {
          if (message.ok) pending.resolve(message.analysis);
          else pending.reject(new AnalysisFailure(message.kind, message.message));
        }
        pump();
      });
      worker.on('error', (error) => {
        slot.pending?.reject(error);
        slot.pending = undefined;
        reject(error);
      });
      worker.on('exit', () => {
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        slot.pending?.reject(new AnalysisFailure('unavailable', 'analysis worker exited'));
        if (!closing) {
          void spawn().then(
            (replacement) => {
              slots.push(replacement);
              pump(); // tasks that queued while no worker was ready
            },
            () => undefined,
          );
        }
      });
    });
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const next = queue.shift()!;
      const id = nextId++;
      slot.busy = true;
      slot.pending = { id, resolve: next.resolve, reject: next.reject };
      // Transfer, not copy: the caller's bytes move to the worker, which zeroes them when done.
      const bytes = next.task.bytes;
      slot.worker.postMessage({ id, ...next.task } satisfies WorkerTask, [bytes.buffer as ArrayBuffer]);
    }
  }

  slots.push(...(await Promise.all(Array.from({ length: options.size }, () => spawn()))));

  return {
    analyze(kind, bytes) {
      // A private copy whose buffer can be transferred without detaching the caller's Buffer pool.
      const own = new Uint8Array(bytes);
      return new Promise((resolve, reject) => {
        queue.push({ task: { kind, bytes: own }, resolve, reject });
        pump();
      });
    },
    async recycle() {
      await Promise.all([...slots].map((s) => s.worker.terminate()));
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
    stats: () => ({ workers: slots.length, busy: slots.filter((s) => s.busy).length, queued: queue.length }),
  };
}
