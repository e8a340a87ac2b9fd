import { createRequire } from 'node:module';
import { MASK } from '../../runner/redact/redactor.js';

/** Only runs with --diff need it: loaded (its CommonJS build, synchronously) on first use, not at start-up. */
let diffLib: typeof import('diff') | undefined;
const loadDiff = () => (diffLib ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

/** `.env`, `.env.production`, `app.env`: env files hold secrets, whatever their keys are called. */
export const isEnvFile = (path: string): boolean => /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]+\.env)$/.test(path);

export interface DiffOptions {
  /** The content is secret: the diff shows which lines changed, and their keys, never a value. Env files always are. */
  secret?: boolean;
}

/**
 * A unified diff of a file's content; `undefined` stands for an absent file. Content that is not
 * UTF-8 text is summarised rather than printed.
 */
export function unifiedDiff(
  path: string,
  before: Buffer | string | undefined,
  after: Buffer | string | undefined,
  opts: DiffOptions = {},
): string {
  const a = asText(before);
  const b = asText(after);
  if (a === null || b === null)
    return `Binary file ${path} ${before === undefined ? 'created' : after === undefined ? 'removed' : 'changed'}\n`;
  const patch = loadDiff().createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a${path}`,
    after === undefined ? '/dev/null' : `b${path}`,
    a,
    b,
    undefined,
    undefined,
    { context: 3 },
  );
  return opts.secret || isEnvFile(path) ? maskValues(patch) : patch;
}

/**
 * The patch with every content line reduced to its key (`DB_PASS=***`, `token: ***`) or to the mask:
 * computed on the real text first, so a changed value still shows as a changed line.
 */
function maskValues(patch: string): string {
  const lines = patch.split('\n');
  const body = lines.findIndex((l) => l.startsWith('@@'));
  if (body < 0) return patch;
  return [
    ...lines.slice(0, body),
    ...lines.slice(body).map((l) => (/^[ +-]/.test(l) ? l[0] + maskLine(l.slice(1)) : l)),
  ].join('\n');
}

function maskLine(text: string): string {
  if (text.trim() === '') return text;
  const kv = /^(\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*[=:]\s*)(.*)$/.exec(text);
  if (kv) return kv[2]!.trim() === '' ? text : `${kv[1]}${MASK}`;
  return /^\s*#/.test(text) ? `#${MASK}` : MASK;
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
