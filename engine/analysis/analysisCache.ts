import { createHash } from 'node:crypto';
import type { Analysis } from './analyze';
import type { AnalysisPool } from './pool';

/**
 * A visitor's ID photo is sent again with every attempt, byte for byte (main normalises it once),
 * and its analysis — detection, mesh, descriptor — is the same each time. The pool keeps a few
 * analyses by the SHA-256 of the image and the kind of analysis, in memory only: no image, only
 * what the engine measured (face boxes, the descriptor), for at most `ttlMs` and at most
 * `entries` images, and the kiosk forgets them all when its visit ends (`forget`). Liveness is
 * never cached: every live frame is new, and a replayed frame must be judged again.
 */
export const ANALYSIS_CACHE = { entries: 8, ttlMs: 10 * 60_000 } as const;

export interface CachedAnalysisPool extends AnalysisPool {
  /** Drops every kept analysis (a visit ended); answers how many there were. */
  forget(): number;
  /** How many analyses are kept now (tests, metrics). */
  size(): number;
}

export function withAnalysisCache(pool: AnalysisPool, options: { entries?: number; ttlMs?: number; now?: () => number } = {}): CachedAnalysisPool {
  const entries = options.entries ?? ANALYSIS_CACHE.entries;
  const ttlMs = options.ttlMs ?? ANALYSIS_CACHE.ttlMs;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use makes its first key the least recently used.
  const kept = new Map<string, { at: number; analysis: Promise<Analysis> }>();

  const prune = () => {
    for (const [key, entry] of kept) if (now() - entry.at > ttlMs) kept.delete(key);
    while (kept.size > entries) kept.delete(kept.keys().next().value!);
  };

  return {
    analyze(kind, bytes) {
      if (kind !== 'match') return pool.analyze(kind, bytes);
      prune();
      const key = `${kind} ${createHash('sha256').update(bytes).digest('hex')}`;
      const hit = kept.get(key);
      if (hit) {
        kept.delete(key);
        kept.set(key, hit);
        return hit.analysis.then(copy);
      }
      // The promise is kept, so a second request for the same image in flight waits for the first;
      // a failed analysis is not kept.
      const analysis = pool.analyze(kind, bytes);
      kept.set(key, { at: now(), analysis });
      prune();
      analysis.catch(() => {
        if (kept.get(key)?.analysis === analysis) kept.delete(key);
      });
      return analysis.then(copy);
    },
    forget() {
      const count = kept.size;
      kept.clear();
      return count;
    },
    size: () => kept.size,
    recycle: () => pool.recycle(),
    close: () => pool.close(),
    stats: () => pool.stats(),
  };
}

/** Each caller gets its own copy: a caller that changes its answer cannot change the next one's. */
const copy = (analysis: Analysis): Analysis => structuredClone(analysis);
