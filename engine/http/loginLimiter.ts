/**
 * Slows password guessing: after `maxFailures` failed logins for one key (a client address, a
 * user name) within the window, logins for that key are refused (429) until the window passes.
 * An attempt is taken before the password is checked and given back only when it succeeds, so
 * guesses sent in parallel cannot all be checked before the limit engages.
 */
export function createLoginLimiter(options: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => {
    const times = (failures.get(key) ?? []).filter((t) => now() - t < windowMs);
    failures.set(key, times);
    return times;
  };

  return {
    /**
     * Takes one attempt for every key. `wait` > 0: seconds until the most limited key may try
     * again (nothing taken). Otherwise call `succeeded()` once the password proves right.
     */
    reserve(keys: readonly string[]): { wait: number; succeeded: () => void } {
      const at = now();
      const lists = keys.map(recent);
      const wait = Math.max(0, ...lists.filter((times) => times.length >= maxFailures).map((times) => Math.ceil((windowMs - (at - times[0]!)) / 1000)));
      if (wait > 0) return { wait, succeeded: () => {} };
      for (const times of lists) times.push(at);
      // Bound memory under a flood of distinct addresses or names.
      while (failures.size > 10_000) failures.delete(failures.keys().next().value!);
      return {
        wait: 0,
        succeeded: () => {
          for (const key of keys) {
            const times = failures.get(key);
            const i = times?.lastIndexOf(at) ?? -1;
            if (i >= 0) times!.splice(i, 1);
          }
        },
      };
    },
  };
}
