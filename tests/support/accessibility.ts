/**
 * axe-core (the npm package) injected into the kiosk page the way @axe-core/playwright does it:
 * through page.evaluate, which the kiosk's CSP (script-src 'self') does not block, unlike a
 * script tag. WCAG 2.1 A/AA rules plus axe's best practices.
 */
import axe from 'axe-core';
import type { Page } from 'playwright';

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axe.source);
  return page.evaluate<Violation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
      .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))
  `);
}
