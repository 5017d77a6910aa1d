import type { AnalysisPool } from '../../engine/analysis/pool';

/**
 * The engine's real analysis pool, with every image the server hands it kept in `handed`: a test
 * can wait until a request is being analysed, and read those very buffers after the answer.
 */
export function watchedPool(pool: AnalysisPool) {
  const handed: Uint8Array[] = [];
  const watched: AnalysisPool = {
    ...pool,
    analyze(kind, bytes) {
      handed.push(bytes);
      return pool.analyze(kind, bytes);
    },
  };
  return { pool: watched, handed };
}

/** Every byte of every buffer is zero (and there was something to zero). */
export const allZeroed = (buffers: readonly Uint8Array[]) => buffers.length > 0 && buffers.every((b) => b.byteLength > 0 && b.every((x) => x === 0));
