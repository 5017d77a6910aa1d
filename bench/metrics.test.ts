import { describe, expect, it } from 'vitest';
import { atThreshold, rocAuc, thresholdForFalseAccept, thresholdForFalseReject } from './metrics';

describe('biometric metrics', () => {
  const genuine = [60, 70, 80, 45];
  const impostor = [10, 20, 30, 50];

  it('counts false accepts at or above the threshold and false rejects below it', () => {
    expect(atThreshold(genuine, impostor, 48)).toEqual({ threshold: 48, falseAccept: 0.25, falseReject: 0.25 });
  });

  it('computes ROC AUC with ties counted half', () => {
    expect(rocAuc([1, 2], [0, 0])).toBe(1);
    expect(rocAuc([1], [1])).toBe(0.5);
    expect(rocAuc(genuine, impostor)).toBeCloseTo(15 / 16);
  });

  it('finds operating points', () => {
    expect(thresholdForFalseAccept(genuine, impostor, 0)).toMatchObject({ threshold: 60, falseAccept: 0, falseReject: 0.25 });
    expect(thresholdForFalseReject(genuine, impostor, 0)).toMatchObject({ threshold: 45, falseAccept: 0.25 });
  });
});
