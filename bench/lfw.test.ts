import { describe, expect, it } from 'vitest';
import { bestThreshold, impostorIndexPairs, parseLfwPairs, tenFoldAccuracy } from './lfw';

describe("LFW's pairs files", () => {
  it('reads same-person and different-person lines into image paths', () => {
    const pairs = parseLfwPairs('2\nAaron_Peirsol\t1\t2\nAJ_Cook 1 Abdul_Rahman 12\n');
    expect(pairs).toEqual([
      { a: 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', b: 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg', same: true },
      { a: 'AJ_Cook/AJ_Cook_0001.jpg', b: 'Abdul_Rahman/Abdul_Rahman_0012.jpg', same: false },
    ]);
  });

  it('says which line it cannot read', () => {
    expect(() => parseLfwPairs('1\nonly_a_name\n')).toThrow('line 2');
  });
});

describe("LFW's 10-fold accuracy", () => {
  it('picks the most accurate threshold', () => {
    const pairs = [0.9, 0.8, 0.7, 0.4].map((score) => ({ score, same: true })).concat([0.6, 0.3, 0.2, 0.1].map((score) => ({ score, same: false })));
    // Between 0.6 and 0.7, or between 0.3 and 0.4: 7 of 8 either way; the first is kept.
    expect(bestThreshold(pairs)).toEqual({ threshold: 0.35, accuracy: 7 / 8 });
    expect(bestThreshold(pairs.filter((p) => p.score !== 0.4)).threshold).toBeCloseTo(0.65);
  });

  it('scores each fold at the threshold learnt on the other nine', () => {
    // 20 same and 20 different pairs, perfectly separated at 0.5 but for one different pair in
    // fold 3 scoring 0.95: that fold gets 3 of 4 right, every other fold 4 of 4.
    const same = Array.from({ length: 20 }, (_, i) => ({ score: 0.6 + i * 0.01, same: true }));
    const different = Array.from({ length: 20 }, (_, i) => ({ score: i === 6 ? 0.95 : 0.1 + i * 0.01, same: false }));
    const result = tenFoldAccuracy([...same, ...different]);
    expect(result.folds).toEqual([1, 1, 1, 0.75, 1, 1, 1, 1, 1, 1]);
    expect(result.mean).toBeCloseTo(0.975);
    expect(result.std).toBeCloseTo(Math.sqrt((9 * 0.025 ** 2 + 0.225 ** 2) / 10));
  });

  it('counts a pair with no score (no face found) as wrong', () => {
    const pairs = [...Array.from({ length: 10 }, () => ({ score: 0.9, same: true })), ...Array.from({ length: 10 }, () => ({ score: 0.1, same: false }))];
    pairs[0] = { score: null as unknown as number, same: true };
    expect(tenFoldAccuracy(pairs).folds[0]).toBe(0.5);
  });
});

describe('the impostor pool', () => {
  it('pairs only images of two different people', () => {
    expect(impostorIndexPairs(['ann', 'ann', 'bob', 'cy'], 100)).toEqual([
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
  });

  it('takes pairs evenly when there are more than the limit', () => {
    const people = Array.from({ length: 100 }, (_, i) => `p${i}`);
    const picked = impostorIndexPairs(people, 1000);
    // 4,950 pairs, every 4th: 1,238.
    expect(picked.length).toBe(1238);
    expect(picked.at(-1)![0]).toBeGreaterThan(80);
  });
});
