import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../app/settings';
import { ar } from './ar';
import { de } from './de';
import { en, type Messages } from './en';
import { es } from './es';
import { fr } from './fr';
import { pt } from './pt';

const catalogues: Record<(typeof LANGUAGES)[number], Messages> = { en, fr, es, de, ar, pt };
const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
const at = (catalogue: object, key: string) => key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], catalogue);
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
/** Words that happen to be spelt alike (French "Code"). */
const SAME_EVERYWHERE = new Set(['audit.code']);

describe('message catalogues', () => {
  it('has a catalogue for every language the settings offer', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every English key and nothing else, each translated, with the same placeholders', (language) => {
    const catalogue = catalogues[language];
    expect(keys(catalogue).sort()).toEqual(keys(en).sort());
    const untranslated: string[] = [];
    for (const key of keys(en)) {
      const text = at(catalogue, key) as string;
      expect(text.trim().length, key).toBeGreaterThan(0);
      expect(placeholders(text), key).toEqual(placeholders(at(en, key) as string));
      if (text === at(en, key) && !SAME_EVERYWHERE.has(key)) untranslated.push(key);
    }
    expect(untranslated).toEqual([]);
  });

  it('names each language in its own words, all different', () => {
    const names = LANGUAGES.map((l) => catalogues[l].language.name);
    expect(new Set(names).size).toBe(LANGUAGES.length);
    expect(names).toContain('العربية');
  });
});
