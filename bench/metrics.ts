/** Biometric error rates as ISO/IEC 19795-1 (FMR, FNMR) and ISO/IEC 30107-3 (APCER, BPCER) define them. */

export const rate = (hits: number, total: number) => (total === 0 ? Number.NaN : hits / total);

/** How many times each code occurs (failures to acquire, refusals). */
export const countBy = (codes: readonly string[]) => codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

/** ROC AUC by the Mann-Whitney statistic: the chance a genuine score outranks an impostor one. */
export function rocAuc(genuine: readonly number[], impostor: readonly number[]): number {
  if (genuine.length === 0 || impostor.length === 0) return Number.NaN;
  let wins = 0;
  for (const g of genuine) for (const i of impostor) wins += g > i ? 1 : g === i ? 0.5 : 0;
  return wins / (genuine.length * impostor.length);
}

/** Error rates when scores at or above `threshold` are accepted. */
export function atThreshold(genuine: readonly number[], impostor: readonly number[], threshold: number) {
  return {
    threshold,
    /** Impostors accepted: FMR for match, APCER for presentation attacks. */
    falseAccept: rate(impostor.filter((s) => s >= threshold).length, impostor.length),
    /** Genuine rejected: FNMR for match, BPCER for bona fide presentations. */
    falseReject: rate(genuine.filter((s) => s < threshold).length, genuine.length),
  };
}

/** How many of the ascending `sorted` are below `value`. */
function countBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every score seen as a candidate threshold, with the rates at each computed by binary search (fast on 10⁵+ impostor pairs). */
function sweep(genuine: readonly number[], impostor: readonly number[], extra: number) {
  const g = [...genuine].sort((a, b) => a - b);
  const i = [...impostor].sort((a, b) => a - b);
  const candidates = [...new Set([...genuine, ...impostor, extra])].sort((a, b) => a - b);
  return candidates.map((threshold) => ({
    threshold,
    falseAccept: rate(i.length - countBelow(i, threshold), i.length),
    falseReject: rate(countBelow(g, threshold), g.length),
  }));
}

/** The lowest threshold whose false-accept rate is at most `maxFalseAccept`, with its false-reject rate. */
export function thresholdForFalseAccept(genuine: readonly number[], impostor: readonly number[], maxFalseAccept: number) {
  const points = sweep(genuine, impostor, Number.POSITIVE_INFINITY);
  return points.find((p) => p.falseAccept <= maxFalseAccept) ?? points.at(-1)!;
}

/** The highest threshold whose false-reject rate is at most `maxFalseReject`, with its false-accept rate. */
export function thresholdForFalseReject(genuine: readonly number[], impostor: readonly number[], maxFalseReject: number) {
  const points = sweep(genuine, impostor, Number.NEGATIVE_INFINITY);
  return points.findLast((p) => p.falseReject <= maxFalseReject) ?? points[0]!;
}

/** Order statistics of a sample (NaN when it is empty). */
export function quantiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, min: q(0), p10: q(0.1), median: q(0.5), p90: q(0.9), p999: q(0.999), max: sorted.at(-1) ?? Number.NaN };
}

export const median = (values: readonly number[]) => quantiles(values).median;
