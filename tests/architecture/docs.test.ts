/**
 * The README and docs/ stay usable: every relative link and anchor resolves, the README fits on
 * a few screens, and no measured figure in docs/ is without the date it was measured.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** Markdown with its fenced code blocks blanked: a `#` or a link inside code is not one. */
const prose = (text: string) => text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ' '));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(read(file)).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('documentation', () => {
  it('resolves every relative link and anchor in the README and docs/', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const [, target] of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const linked = path ? relative(ROOT, resolve(ROOT, dirname(file), decodeURIComponent(path))) : file;
        if (!existsSync(join(ROOT, linked))) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the README to what a newcomer reads in five minutes (≤ 250 lines, no issue numbers)', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(readme).not.toMatch(/\bissues? \d+/i);
  });

  it('gives every measured figure in docs/ the date it was measured', () => {
    // A figure: a speed, a rate or an error rate. Its section, or a section around it, names the date.
    const FIGURE = /\d\s?(ms|fps|frames per second|requests\/s|per s)\b|\b(BPCER|APCER|FMR|FNMR)\b[^|\n]*\d/;
    const DATE = /\b20\d\d-\d\d-\d\d\b/;
    const undated: string[] = [];
    for (const file of DOCS.filter((f) => f.startsWith('docs/'))) {
      // Each section's own text, with the intro of every section around it (before its first subsection).
      const scopes: string[] = [];
      const open: Array<{ level: number; intro: string }> = [];
      for (const part of prose(read(file)).split(/^(?=#{1,6} )/m)) {
        const level = /^(#+) /.exec(part)?.[1]?.length ?? 0;
        while (open.length && open.at(-1)!.level >= level) open.pop();
        scopes.push([...open.map((s) => s.intro), part].join('\n'));
        open.push({ level, intro: part });
      }
      for (const scope of scopes) {
        if (FIGURE.test(scope) && !DATE.test(scope)) undated.push(`${file}: ${scope.trim().split('\n').at(-1)!.slice(0, 80)}…`);
      }
    }
    expect(undated).toEqual([]);
  });
});
