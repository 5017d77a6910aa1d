/**
 * glibc gives every thread that allocates under contention its own malloc arena (up to 8 per
 * core) and seldom hands their memory back. With the engine's analysis worker, sharp's threads
 * and libuv's pool, a one-worker engine peaked at 650 MB with glibc's default and 517 MB with two
 * arenas (docs/benchmarks.md, "Speed and memory"). The limit is read once when the process starts, so on
 * Linux the kiosk relaunches itself once with it set; elsewhere there is nothing to do.
 */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** Marks the relaunched instance, so a setting that did not take can never loop. */
export const RELAUNCHED_FLAG = '--allocator-configured';

/** The arguments to relaunch with, or null when this process already runs as it should. */
export function allocatorRelaunch(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, args: readonly string[]): string[] | null {
  if (platform !== 'linux' || env.MALLOC_ARENA_MAX !== undefined || args.includes(RELAUNCHED_FLAG)) return null;
  return [...args, RELAUNCHED_FLAG];
}
