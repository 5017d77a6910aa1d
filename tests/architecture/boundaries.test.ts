/**
 * Which process may import what (ARCHITECTURE.md). tsconfig per folder keeps Node and DOM types
 * out of app/, but a package with its own types (electron) would still resolve, so the imports
 * themselves are checked here with TypeScript's own parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true).importedFiles.map((i) => i.fileName);
}

/** The top-level folder a relative import lands in. */
function folderOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative(ROOT, resolve(ROOT, file, '..', specifier)).split(/[\\/]/)[0] ?? null;
}

const NODE_BUILTIN = /^node:|^(fs|path|os|crypto|child_process|http|https|net|stream|util|worker_threads)(\/|$)/;

const rules: Record<string, (specifier: string, folder: string | null) => string | null> = {
  app: (s, folder) =>
    s === 'electron' || NODE_BUILTIN.test(s) ? `app/ must not import ${s}` : folder && folder !== 'app' ? `app/ must not import from ${folder}/` : null,
  renderer: (s, folder) =>
    s === 'electron' || NODE_BUILTIN.test(s)
      ? `renderer/ must not import ${s}`
      : folder === 'main' || folder === 'engine'
        ? `renderer/ must not import from ${folder}/`
        : null,
  main: (_s, folder) => (folder === 'renderer' ? 'main/ must not import from renderer/' : null),
  engine: (s, folder) =>
    s === 'electron' ? 'engine/ must not import electron' : folder === 'renderer' || folder === 'main' ? `engine/ must not import from ${folder}/` : null,
};

describe('process boundaries', () => {
  for (const [dir, rule] of Object.entries(rules)) {
    it(`${dir}/ imports only what its process may use`, () => {
      const violations = sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .map((s) => rule(s, folderOf(file, s)))
          .filter((v): v is string => v !== null)
          .map((v) => `${file}: ${v}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('product code, the benchmarks and their shared harness never import the tests', () => {
    // bench/ measures; a change to a test helper must not move its figures: what both use lives in harness/.
    const offenders = ['app', 'main', 'engine', 'renderer', 'scripts', 'bench', 'harness'].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .filter((s) => folderOf(file, s) === 'tests')
          .map((s) => `${file}: ${s}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('only main/index.ts and main/preload.ts import electron at run time', () => {
    const offenders = sourceFiles('main').filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return /^import\s+(?!type\b)[^;]*from\s+'electron'/m.test(text) && !/^main\/(index|preload)\.ts$/.test(file);
    });
    expect(offenders).toEqual([]);
  });

  it('catches a forbidden import (the checker itself works)', () => {
    expect(rules.app!('electron', null)).toMatch(/must not/);
    expect(rules.app!('node:fs', null)).toMatch(/must not/);
    expect(rules.renderer!('../../main/ipc/handlers', 'main')).toMatch(/must not/);
    expect(rules.app!('zod', null)).toBeNull();
  });
});
