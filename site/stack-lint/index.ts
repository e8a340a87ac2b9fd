import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../runner/errors.js';
import { lintStack } from './lint-stack.js';
import type { Finding, LintResult } from './types.js';
import { vhostDirFindings } from './vhost-rules.js';

export { RULES, type Finding, type LintResult, type RuleId } from './types.js';
export { formatFindings } from './report.js';
export { lintStack } from './lint-stack.js';

export interface LintOptions {
  /** Where the stacks live (default `stacks`). */
  dir?: string;
  /** Stacks to check; all directories under `dir` when empty. */
  names?: string[];
  /** The NGINX vhost templates to check too (default `templates/nginx`; skipped when absent). */
  templatesDir?: string;
}

/**
 * The stacks (directories) under `dir`, after checking that each of `names` is one of them: a
 * UsageError naming the stacks that do exist otherwise.
 */
export function requireStacks(dir: string, names: readonly string[]): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no stacks directory ${dir}`);
  const all = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length)
    throw new UsageError(
      `no such stack in ${dir}: ${unknown.join(', ')} (stacks: ${all.join(', ') || 'none'})`,
    );
  return all;
}

/** Checks the quality gates on stacks and vhost templates; throws UsageError for a bad dir or name. */
export function lintStacks(opts: LintOptions = {}): LintResult {
  const dir = opts.dir ?? 'stacks';
  const all = requireStacks(dir, opts.names ?? []);
  const names = opts.names?.length ? opts.names : all;

  const templates = vhostDirFindings(opts.templatesDir ?? join('templates', 'nginx'));
  const findings: Finding[] = [...templates.findings];
  const vhostFiles = [...templates.files];
  for (const name of names) {
    const r = lintStack(dir, name);
    findings.push(...r.findings);
    vhostFiles.push(...r.vhostFiles);
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  return { stacks: names, vhostFiles, findings };
}
