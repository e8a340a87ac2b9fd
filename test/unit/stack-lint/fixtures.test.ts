import { describe, expect, it } from 'vitest';
import { lintStacks, RULES, type RuleId } from '../../../site/stack-lint/index.js';

const DIR = 'test/fixtures/stacks';
const NO_TEMPLATES = `${DIR}/no-such-templates-dir`;

/** Each fixture stack breaks one rule once: the rule and the exact place it must be reported. */
const EXPECTED: Record<RuleId, { file: string; line: number }> = {
  'compose-file': { file: 'compose-file/compose.yml', line: 2 },
  healthcheck: { file: 'healthcheck/compose.yml', line: 3 },
  'restart-policy': { file: 'restart-policy/compose.yml', line: 5 },
  'env-example': { file: 'env-example/.env.example', line: 1 },
  'env-placeholder': { file: 'env-placeholder/.env.example', line: 3 },
  'env-undeclared': { file: 'env-undeclared/compose.yml', line: 9 },
  'env-file': { file: 'env-file/compose.yml', line: 6 },
  readme: { file: 'readme/README.md', line: 1 },
  'db-port': { file: 'db-port/compose.yml', line: 15 },
  'network-external': { file: 'network-external/compose.yml', line: 10 },
  'network-local': { file: 'network-local/compose.yml', line: 8 },
  'vhost-headers': { file: 'vhost-headers/nginx/conf.d/shop.example.com.conf', line: 8 },
  'vhost-hsts': { file: 'vhost-hsts/nginx/snippets/security_headers.conf', line: 2 },
};

describe('vsa stack lint on the broken fixtures', () => {
  it('has a fixture for every rule', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(Object.entries(EXPECTED))(
    'fixture %s: exactly that rule, at the right file and line',
    (rule, where) => {
      const { findings } = lintStacks({ dir: DIR, names: [rule], templatesDir: NO_TEMPLATES });
      expect(findings.map(({ file, line, rule }) => ({ file, line, rule }))).toEqual([
        { file: `${DIR}/${where.file}`, line: where.line, rule },
      ]);
      expect(findings[0]!.message.length).toBeGreaterThan(10);
    },
  );

  it('finds nothing in the clean fixture', () => {
    expect(lintStacks({ dir: DIR, names: ['clean'], templatesDir: NO_TEMPLATES }).findings).toEqual([]);
  });

  it('reports every fixture at once when no name is given, sorted by file and line', () => {
    const { stacks, findings } = lintStacks({ dir: DIR, templatesDir: NO_TEMPLATES });
    expect(stacks).toHaveLength(Object.keys(EXPECTED).length + 1);
    expect(findings.map((f) => f.rule).sort()).toEqual(Object.keys(EXPECTED).sort());
    const keys = findings.map((f) => `${f.file}:${String(f.line).padStart(4, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });
});
