import { describe, expect, it } from 'vitest';
import { embeddedWorkers } from './embeddedEngine';

const GB = 1024 ** 3;

describe("the built-in engine's analysis workers", () => {
  it('are two on a machine with two cores and 8 GB or more, one on anything smaller', () => {
    expect(embeddedWorkers(2, 8 * GB)).toBe(2);
    expect(embeddedWorkers(8, 32 * GB)).toBe(2);
    expect(embeddedWorkers(1, 32 * GB)).toBe(1);
    expect(embeddedWorkers(4, 8 * GB - 1)).toBe(1);
  });
});
