// The titles a vitest file declares, read from its syntax tree (never by running it), so the
// safety documents can name tests and a check can prove that each named test exists.
import ts from 'typescript';

/** Separator between describe titles and the test title in a full name, as vitest prints it. */
export const TITLE_SEPARATOR = ' › ';

const TEST_FUNCTIONS = new Set(['it', 'test', 'describe', 'suite']);

/** `it`, `it.each([...])`, `describe.skipIf(x)`, `test.concurrent`: the base name, else null. */
function baseName(callee: ts.Expression): string | null {
  if (ts.isIdentifier(callee)) return TEST_FUNCTIONS.has(callee.text) ? callee.text : null;
  if (ts.isPropertyAccessExpression(callee)) return baseName(callee.expression);
  if (ts.isCallExpression(callee)) return baseName(callee.expression);
  return null;
}

/**
 * A title as written: a string literal's text, or a template's source between the backticks
 * (`on PostgreSQL${skipped}`: its substitutions kept as written, so the name can still be cited).
 * Any other expression is a title built at run time that nobody can cite.
 */
function writtenTitle(node: ts.Expression | undefined, file: ts.SourceFile): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText(file).slice(1, -1);
  return null;
}

/**
 * Every full name in `source`: for each `describe` and each test, its title prefixed by the
 * titles of the describe blocks around it, joined with `TITLE_SEPARATOR`. Describe blocks are
 * listed too (citing one cites every test in it). Titles built at run time are left out, and
 * so is everything inside a describe whose title is.
 */
export function testTitles(source: string, fileName = 'test.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const visit = (node: ts.Node, prefix: readonly string[]): void => {
    if (ts.isCallExpression(node)) {
      const base = baseName(node.expression);
      if (base) {
        const title = writtenTitle(node.arguments[0], file);
        if (title === null) return;
        const path = [...prefix, title];
        names.push(path.join(TITLE_SEPARATOR));
        for (const arg of node.arguments.slice(1)) visit(arg, path);
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, prefix));
  };
  visit(file, []);
  return names;
}

/**
 * Whether `cited` names a test or describe block of `names`: the full name, or its last
 * titles (the test's own title, or "inner describe › test").
 */
export function citesTitle(names: readonly string[], cited: string): boolean {
  return names.some((name) => name === cited || name.endsWith(TITLE_SEPARATOR + cited));
}
