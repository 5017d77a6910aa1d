/**
 * Labeled Faces in the Wild's protocol: its pairs files and the accuracy it publishes.
 *
 * A pairs file starts with a header line (`N` or `folds N`), then one pair a line:
 * `name i j` (the same person's images i and j) or `name1 i name2 j` (two people). Images are
 * `<root>/<name>/<name>_<iiii>.jpg`. Accuracy is reported the published way: the pairs split in
 * 10 folds, each fold classified at the threshold that is most accurate on the other nine, and
 * the mean and standard deviation of the ten fold accuracies.
 */
import { join } from 'node:path';

export interface LfwPair {
  a: string;
  b: string;
  same: boolean;
}

const imagePath = (name: string, index: string) => join(name, `${name}_${index.padStart(4, '0')}.jpg`);

export function parseLfwPairs(text: string): LfwPair[] {
  const [, ...lines] = text.trim().split(/\r?\n/);
  return lines.map((line, n) => {
    const cells = line.trim().split(/\s+/);
    if (cells.length === 3) return { a: imagePath(cells[0]!, cells[1]!), b: imagePath(cells[0]!, cells[2]!), same: true };
    if (cells.length === 4) return { a: imagePath(cells[0]!, cells[1]!), b: imagePath(cells[2]!, cells[3]!), same: false };
    throw new Error(`pairs file line ${n + 2} is neither "name i j" nor "name1 i name2 j": "${line}"`);
  });
}

/**
 * Index pairs (i, j) of images of two different people among `people` (each image's person),
 * taken evenly from all pairs (every k-th, k = ⌊all / limit⌋, so between `limit` and twice it remain): an impostor pool far larger
 * than a pairs file's own, to see false-match rates of 0.1 % and below.
 */
export function impostorIndexPairs(people: readonly string[], limit: number): Array<[number, number]> {
  const step = Math.max(1, Math.floor((people.length * (people.length - 1)) / 2 / limit));
  const picked: Array<[number, number]> = [];
  for (let i = 0, k = 0; i < people.length; i += 1) {
    for (let j = i + 1; j < people.length; j += 1, k += 1) {
      if (k % step === 0 && people[i] !== people[j]) picked.push([i, j]);
    }
  }
  return picked;
}

/**
 * The threshold (accept at score ≥ t) that classifies most of `pairs` right, and that accuracy.
 * Candidates are the midpoints between neighbouring scores, so a threshold learnt on nine folds
 * does not sit exactly on one of their pairs.
 */
export function bestThreshold(pairs: ReadonlyArray<{ score: number; same: boolean }>) {
  const sorted = [...new Set(pairs.map((p) => p.score))].sort((x, y) => x - y);
  const candidates = sorted.map((v, i) => (i === 0 ? v - 1e-9 : (sorted[i - 1]! + v) / 2));
  let best = { threshold: Number.POSITIVE_INFINITY, accuracy: accuracyAt(pairs, Number.POSITIVE_INFINITY) };
  for (const t of candidates) {
    const accuracy = accuracyAt(pairs, t);
    if (accuracy > best.accuracy) best = { threshold: t, accuracy };
  }
  return best;
}

export function accuracyAt(pairs: ReadonlyArray<{ score: number; same: boolean }>, threshold: number): number {
  return pairs.filter((p) => p.score >= threshold === p.same).length / Math.max(1, pairs.length);
}

/**
 * LFW's 10-fold accuracy. Folds are consecutive blocks of the same-person pairs and of the
 * different-person pairs (as LFW's own files are laid out), so each fold holds a tenth of each.
 * A pair whose score could not be computed (no face) counts as wrong in its fold.
 */
export function tenFoldAccuracy(pairs: ReadonlyArray<{ score: number | null; same: boolean }>, folds = 10) {
  const fold = (list: typeof pairs) => list.map((p, i) => ({ ...p, fold: Math.floor((i * folds) / list.length) }));
  const all = [...fold(pairs.filter((p) => p.same)), ...fold(pairs.filter((p) => !p.same))];
  const scored = (p: { score: number | null }): p is { score: number; same: boolean; fold: number } => p.score !== null;
  const accuracies = Array.from({ length: folds }, (_, k) => {
    const { threshold } = bestThreshold(all.filter((p) => p.fold !== k && scored(p)) as Array<{ score: number; same: boolean }>);
    const test = all.filter((p) => p.fold === k);
    return test.filter((p) => p.score !== null && p.score >= threshold === p.same).length / Math.max(1, test.length);
  });
  const mean = accuracies.reduce((x, y) => x + y, 0) / folds;
  const std = Math.sqrt(accuracies.reduce((x, y) => x + (y - mean) ** 2, 0) / folds);
  return { mean, std, folds: accuracies };
}
