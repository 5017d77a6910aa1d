/**
 * Tests that can fail: no focused or skipped test, no test without an assertion of its own, and
 * no promise in a test file whose outcome is thrown away with an empty `.catch`. Read with
 * TypeScript's own parser, so strings and regular expressions cannot fool it.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TEST_FILES = execFileSync('git', ['ls-files', '*.test.ts'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

const TEST_CALLS = new Set(['it', 'test', 'describe']);

/** What a test file breaks, by line: `.only`/`.skip`/`.todo`, an `it` with no `expect`, an empty catch. */
export function dishonesty(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const discards = (fn: ts.Node | undefined) =>
    fn !== undefined &&
    ts.isArrowFunction(fn) &&
    (/^(undefined|null|void 0|\{\s*\}|\[\s*\])$/.test(fn.body.getText()) || (ts.isBlock(fn.body) && fn.body.statements.length === 0));
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && TEST_CALLS.has(node.expression.text)) {
      if (['only', 'skip', 'todo', 'skipIf', 'runIf'].includes(node.name.text)) found.push(`${at(node)}: ${node.getText()}`);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && (callee.text === 'it' || callee.text === 'test')) {
        const body = node.arguments[1];
        if (!body || !/\bexpect\b/.test(body.getText())) found.push(`${at(node)}: a test without an expect`);
      }
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'catch' && discards(node.arguments[0])) {
        found.push(`${at(node)}: ${node.getText().slice(0, 60)} throws the outcome away`);
      }
    }
    if (ts.isCatchClause(node) && node.block.statements.length === 0) found.push(`${at(node)}: an empty catch block`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('test honesty', () => {
  it('finds no focused or skipped test, no test without an expect and no discarded outcome', () => {
    expect(TEST_FILES.length).toBeGreaterThan(40);
    expect(TEST_FILES.flatMap((file) => dishonesty(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('catches each kind (the checker itself works)', () => {
    const bad = [
      "it.only('a', () => { expect(1).toBe(1); });",
      "describe.skip('b', () => {});",
      "it('c', async () => { await run(); });",
      "it('d', async () => { await run().catch(() => undefined); expect(1).toBe(1); });",
      "it('e', () => { try { run(); } catch {} expect(1).toBe(1); });",
    ].join('\n');
    expect(dishonesty('x.test.ts', bad)).toHaveLength(5);
    expect(dishonesty('y.test.ts', "it('f', async () => { await expect(run()).rejects.toThrow(/x/); });")).toEqual([]);
  });
});
