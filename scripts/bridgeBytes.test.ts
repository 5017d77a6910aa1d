import { describe, expect, it } from 'vitest';
import { packBytes, unpackBytes } from './bridgeBytes';

describe('the harness bridge carries large byte arrays beside its JSON', () => {
  it('swaps each large array for a reference and restores the same bytes, leaving everything else as it was', async () => {
    const large = new Uint8Array(20_000).map((_, i) => i % 251);
    const small = new Uint8Array([1, 2, 3]);
    const input = { image: large, nested: [{ preview: large.slice(5) }, 'text'], small, n: 4, none: null };
    const stored = new Map<string, Uint8Array>();
    const packed = await packBytes(input, async (bytes) => {
      stored.set(`${stored.size}`, bytes);
      return `${stored.size - 1}`;
    });
    expect(packed).toEqual({ image: { __bridgeBytes: '0' }, nested: [{ preview: { __bridgeBytes: '1' } }, 'text'], small, n: 4, none: null });
    expect(JSON.stringify(packed).length).toBeLessThan(200);
    const restored = (await unpackBytes(packed, async (id) => stored.get(id)!)) as typeof input;
    expect(Buffer.from(restored.image).equals(Buffer.from(large))).toBe(true);
    expect(Buffer.from((restored.nested[0] as { preview: Uint8Array }).preview).equals(Buffer.from(large.slice(5)))).toBe(true);
    expect(restored).toMatchObject({ small, n: 4, none: null, nested: [expect.anything(), 'text'] });
  });
});
