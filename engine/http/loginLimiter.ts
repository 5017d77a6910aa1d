/**
 * Slows password guessing: after `maxFailures` failed logins for one client address within the
 * window, that address is refused (429) until the window passes. Successful logins do not count.
 */
export function createLoginLimiter(options: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => now() - t < windowMs);

  return {
    /** Seconds until this client may try again, or 0. */
    retryAfterSeconds(key: string): number {
      const times = recent(key);
      failures.set(key, times);
      if (times.length < maxFailures) return 0;
      return Math.ceil((windowMs - (now() - times[0]!)) / 1000);
    },
    failed(key: string): void {
      const times = recent(key);
      times.push(now());
      failures.set(key, times);
      // Bound memory under a flood of distinct addresses.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
    },
  };
}
