/** Biometric error rates as ISO/IEC 19795-1 (FMR, FNMR) and ISO/IEC 30107-3 (APCER, BPCER) define them. */

export const rate = (hits: number, total: number) => (total === 0 ? Number.NaN : hits / total);

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

/** The lowest threshold whose false-accept rate is at most `maxFalseAccept`, with its false-reject rate. */
export function thresholdForFalseAccept(genuine: readonly number[], impostor: readonly number[], maxFalseAccept: number) {
  const candidates = [...new Set([...genuine, ...impostor, Number.POSITIVE_INFINITY])].sort((a, b) => a - b);
  for (const t of candidates) {
    const r = atThreshold(genuine, impostor, t);
    if (r.falseAccept <= maxFalseAccept) return r;
  }
  return atThreshold(genuine, impostor, Number.POSITIVE_INFINITY);
}

/** The highest threshold whose false-reject rate is at most `maxFalseReject`, with its false-accept rate. */
export function thresholdForFalseReject(genuine: readonly number[], impostor: readonly number[], maxFalseReject: number) {
  const candidates = [...new Set([...genuine, ...impostor, Number.NEGATIVE_INFINITY])].sort((a, b) => b - a);
  for (const t of candidates) {
    const r = atThreshold(genuine, impostor, t);
    if (r.falseReject <= maxFalseReject) return r;
  }
  return atThreshold(genuine, impostor, Number.NEGATIVE_INFINITY);
}
