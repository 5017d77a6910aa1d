import { describe, expect, it } from 'vitest';
import { MATCH_CALIBRATION, asResultString, cosineSimilarity, matchScore, parseLivenessPass } from './scores';

describe('match score', () => {
  it('puts the calibrated cosine exactly on PASS ≥ 48, a typical stranger at 0, and is monotonic over 0..100', () => {
    expect(matchScore(MATCH_CALIBRATION.pass)).toBeCloseTo(48, 10);
    expect(matchScore(MATCH_CALIBRATION.pass - 1e-6)).toBeLessThan(48);
    expect(matchScore(1)).toBe(100);
    expect(matchScore(MATCH_CALIBRATION.floor)).toBe(0);
    expect(matchScore(0)).toBe(0);
    expect(matchScore(-0.4)).toBe(0);
    expect(matchScore((MATCH_CALIBRATION.floor + MATCH_CALIBRATION.pass) / 2)).toBeCloseTo(24, 10);
    let previous = -1;
    for (let c = -1; c <= 1; c += 0.01) {
      const s = matchScore(c);
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
  });

  it('computes cosine similarity and refuses mismatched descriptors', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosineSimilarity([1, 2], [-1, -2])).toBeCloseTo(-1);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow();
  });
});

describe('result strings', () => {
  it('formats like the document: a numeric string', () => {
    expect(asResultString(67.68598175048828)).toBe('67.68598');
    expect(asResultString(0.87551324)).toBe('0.8755132');
    expect(Number(asResultString(48))).toBe(48);
  });
});

describe("an operator's liveness operating point", () => {
  it('is a number from 0 to 1, or nothing when not given', () => {
    expect(parseLivenessPass('0.5')).toBe(0.5);
    expect(parseLivenessPass('0')).toBe(0);
    expect(parseLivenessPass(undefined)).toBeUndefined();
    expect(parseLivenessPass(' ')).toBeUndefined();
  });

  it('refuses anything else, saying what it got', () => {
    for (const bad of ['1.5', '-0.1', 'strict', 'NaN']) expect(() => parseLivenessPass(bad)).toThrow(`from 0 to 1 (got "${bad}")`);
  });
});
