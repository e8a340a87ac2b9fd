import { UsageError } from '../../runner/errors.js';
import type { ComposeFile } from '../../site/stack-lint/compose-schema.js';
import { formatFindings, lintStack, requireStacks, RULES, type RuleId } from '../../site/stack-lint/index.js';

/**
 * The lint rules a `stack up` may be told to skip: all but `compose-file`, because a compose file
 * vsa cannot read cannot be planned, diffed or deployed.
 */
export const SKIPPABLE_RULES = (Object.keys(RULES) as RuleId[]).filter((r) => r !== 'compose-file');

/**
 * What `stack up` checks on the control machine before it connects anywhere: the stack exists in
 * `dir` (the error names the stacks that do) and passes `stack lint`, but for the rules in `skip`.
 * A failure is bad input (exit 5) listing the findings, so a typo or a stack that breaks the gates
 * leaves nothing on any host. Returns the compose file that passed.
 */
export function gateStack(dir: string, name: string, skip: readonly RuleId[]): ComposeFile {
  requireStacks(dir, [name]);
  const lint = lintStack(dir, name);
  const findings = lint.findings.filter((f) => !skip.includes(f.rule));
  // compose-file is never skipped: a stack that passes has a compose file that parsed.
  if (findings.length === 0 && lint.compose) return lint.compose;
  throw new UsageError(
    `stack ${name} does not pass stack lint (${findings.length} finding(s)); fix them, or pass --skip-lint RULE to deploy it anyway:\n${formatFindings(findings).trimEnd()}`,
  );
}
