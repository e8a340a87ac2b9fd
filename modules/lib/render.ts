import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { createRequire } from 'node:module';
import type nunjucksType from 'nunjucks';
import { VsaError } from '../../runner/errors.js';
import type { Plan } from '../../runner/module/types.js';
import { projectRoot } from '../../runner/util/package-info.js';

// nunjucks is loaded on the first render, not at start-up: most runs render few or no templates.
const require = createRequire(import.meta.url);
let nunjucksModule: typeof nunjucksType | undefined;
const nunjucks = () => (nunjucksModule ??= require('nunjucks') as typeof nunjucksType);

export class TemplateError extends VsaError {
  constructor(
    readonly template: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`template ${template}: ${message}`, 2, options);
  }
}

export interface RenderOptions {
  /** A path under the templates dir, or absolute. */
  src?: string;
  /** The template text itself. */
  inline?: string;
  vars: Record<string, unknown>;
  /** Default: `$VSA_TEMPLATES`, else `templates/` of the project (the nearest dir above with a package.json). */
  templatesDir?: string;
}

/**
 * Renders with nunjucks as config files need it: no HTML escaping, and an undefined value in
 * `{{ … }}` is an error naming the expression, template and line instead of an empty string in a
 * config. (nunjucks only checks values it outputs: `{% if x %}` on an undefined `x` is false.)
 */
export function renderTemplate(o: RenderOptions): string {
  const root = o.templatesDir ?? defaultTemplatesDir();
  const name = o.src ?? '(inline)';
  const file = o.src === undefined ? undefined : isAbsolute(o.src) ? o.src : join(root, o.src);
  if (file && !existsSync(file)) throw new TemplateError(name, `not found (looked at ${file})`);
  // An absolute template still finds its includes beside it and under the templates dir.
  const env = environment(file ? [dirname(file), root] : [root], file);
  try {
    return file ? env.render(basename(file), o.vars) : env.renderString(o.inline ?? '', o.vars);
  } catch (err) {
    throw new TemplateError(name, explain(err, o.inline), { cause: err });
  }
}

/**
 * One environment per search path, so a template is compiled once per run and not once per host.
 * A long-lived process (tests, the dashboard) gets a fresh one when the template file changed.
 */
const environments = new Map<string, { env: nunjucksType.Environment; stamp: string }>();
function environment(paths: string[], file: string | undefined): nunjucksType.Environment {
  const key = paths.join('\0');
  const stamp = file ? String(statSync(file).mtimeMs) : '';
  const cached = environments.get(key);
  if (cached?.stamp === stamp) return cached.env;
  const nj = nunjucks();
  const env = new nj.Environment(new nj.FileSystemLoader(paths), { autoescape: false, throwOnUndefined: true });
  environments.set(key, { env, stamp });
  return env;
}

/**
 * Renders for a module's plan: a template's own fault (undefined variable, syntax) fails the task
 * with its message instead of throwing; anything else still throws.
 */
export function renderForPlan(o: RenderOptions): { content: string } | Plan {
  try {
    return { content: renderTemplate(o) };
  } catch (err) {
    if (err instanceof TemplateError) return { commands: [], fail: err.message };
    throw err;
  }
}

/** nunjucks says "(path) [Line 3, Column 7] attempted to output null or undefined value": name the expression. */
function explain(err: unknown, inline: string | undefined): string {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /^\((.*?)\) \[Line (\d+), Column (\d+)\]\s*([\s\S]*)$/.exec(msg);
  if (!m) return msg;
  const [, path, line, col, what] = m;
  const where = `${path === 'unknown path' ? '' : `${path} `}line ${line}`;
  if (!/undefined value/.test(what!)) return `${where}: ${what!.trim()}`;
  const source = path === 'unknown path' ? inline : readIfExists(path!);
  const text = source?.split('\n')[Number(line) - 1]?.slice(Number(col) - 1);
  const expr = text && /^\{\{-?\s*(.*?)\s*-?\}\}/.exec(text)?.[1];
  return expr ? `${where}: undefined variable \`${expr}\`` : `${where}: ${what!.trim()}`;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const defaultTemplatesDir = (): string => process.env.VSA_TEMPLATES ?? join(projectRoot, 'templates');
