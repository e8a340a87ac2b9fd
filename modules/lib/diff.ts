import { createRequire } from 'node:module';

/** Only runs with --diff need it: loaded (its CommonJS build, synchronously) on first use, not at start-up. */
let diffLib: typeof import('diff') | undefined;
const loadDiff = () => (diffLib ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

/**
 * A unified diff of a file's content; `undefined` stands for an absent file. Content that is not
 * UTF-8 text is summarised rather than printed.
 */
export function unifiedDiff(
  path: string,
  before: Buffer | string | undefined,
  after: Buffer | string | undefined,
): string {
  const a = asText(before);
  const b = asText(after);
  if (a === null || b === null)
    return `Binary file ${path} ${before === undefined ? 'created' : after === undefined ? 'removed' : 'changed'}\n`;
  return loadDiff().createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a${path}`,
    after === undefined ? '/dev/null' : `b${path}`,
    a,
    b,
    undefined,
    undefined,
    { context: 3 },
  );
}

/** A one-line diff entry per changed attribute (`mode: 0644 -> 0600`), in a diff's own style. */
export function attributeDiff(
  path: string,
  changes: readonly { attr: string; from?: string; to: string }[],
): string {
  if (changes.length === 0) return '';
  const rows = changes.map((c) => `-${c.attr}: ${c.from ?? '(none)'}\n+${c.attr}: ${c.to}`);
  return `--- ${path} (attributes)\n+++ ${path} (attributes)\n${rows.join('\n')}\n`;
}

function asText(content: Buffer | string | undefined): string | null {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const text = content.toString('utf8');
  return Buffer.from(text, 'utf8').equals(content) && !text.includes('\0') ? text : null;
}
