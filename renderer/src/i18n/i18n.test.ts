import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('message catalogues', () => {
  it('French has every English key and nothing else, and no empty or untranslated string', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? flat(v) : [v as string]));
    for (const text of flat(fr)) expect(text.trim().length).toBeGreaterThan(0);
    // Words that are the same in both languages.
    const samePurposely = new Set(['audit.code']);
    const at = (catalogue: object, key: string) => key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], catalogue);
    const same = keys(en)
      .filter((k) => !samePurposely.has(k))
      .filter((k) => at(fr, k) === at(en, k));
    expect(same).toEqual([]);
  });
});
