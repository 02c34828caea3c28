import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The rule sets of WCAG 2.2 level AA (axe's tags). */
export const WCAG22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe-core on the page as it is now. The script goes in through the DevTools protocol
 * (not a <script> tag), so the page's Content-Security-Policy stays as strict as in production.
 */
export async function axeFindings(
  page: Page,
  /** Run every axe rule (best practices too), not only WCAG 2.2 AA's. */
  { everyRule = false }: { everyRule?: boolean } = {},
): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(
    async (tags) => {
      const run = (window as unknown as { axe: typeof axe }).axe;
      const result = await run.run(
        document,
        tags ? { runOnly: { type: 'tag', values: tags } } : { resultTypes: ['violations'] },
      );
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    },
    everyRule ? null : WCAG22_AA,
  );
}

/** Serious and critical findings only: the ones a page must not have. */
export const blocking = (findings: readonly AxeFinding[]) =>
  findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
