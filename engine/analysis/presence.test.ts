import { describe, expect, it } from 'vitest';
import { bustRegion, personHolding } from './presence';

const face = { x: 100, y: 100, width: 100, height: 120 };
const person = (score: number, x: number, y = 50) => ({ score, box: { x, y, width: 300, height: 500 } });

describe('presence of a person around a face', () => {
  it('looks at a head-and-shoulders portrait around the face, reaching past the image if need be', () => {
    expect(bustRegion(face)).toEqual({ x: -50, y: 4, width: 400, height: 516 });
  });

  it('takes the most confident person holding the face, and 0 with nobody around it', () => {
    expect(personHolding(face, [person(0.7, 0), person(0.4, 20)])).toBeCloseTo(0.7);
    expect(personHolding(face, [person(0.9, 400), person(0.3, 0)])).toBeCloseTo(0.3);
    expect(personHolding(face, [person(0.9, 0, 200)])).toBe(0);
    expect(personHolding(face, [])).toBe(0);
  });
});
