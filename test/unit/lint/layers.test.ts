import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's own eslint.config.js, found from the project root as `npm run lint` finds it.
const eslint = new ESLint();

const LAYER_RULES = ['no-restricted-imports', 'no-restricted-syntax'];

const forms = {
  static: (from: string) => `import { x } from '${from}';\nexport const y = x;\n`,
  lazy: (from: string) => `export const load = () => import('${from}');\n`,
  reexport: (from: string) => `export * from '${from}';\n`,
};
type Form = keyof typeof forms;

/** The layer rule's messages for an import of `from` written in the file `filePath`. */
async function layerErrors(filePath: string, from: string, form: Form): Promise<string[]> {
  const [result] = await eslint.lintText(forms[form](from), { filePath });
  return (result?.messages ?? []).filter((m) => LAYER_RULES.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('the layer rule in eslint.config.js', () => {
  it.each<[string, string, Form]>([
    ['runner/store/fixture.ts', '../../site/paths.js', 'static'],
    ['runner/fixture.ts', '../modules/index.js', 'static'],
    ['runner/reporters/fixture.ts', '../../cli/main.js', 'lazy'],
    ['runner/store/fixture.ts', '../../dashboard/server/index.js', 'reexport'],
    ['runner/fixture.ts', '../playbooks/collect-status.js', 'static'],
    ['modules/lib/fixture.ts', '../../site/site-config.js', 'static'],
    ['modules/fixture.ts', '../playbooks/lib/acme.js', 'static'],
    ['site/stack-lint/fixture.ts', '../../playbooks/lib/site-tasks.js', 'static'],
    ['site/fixture.ts', '../cli/short-form.js', 'lazy'],
    ['site/fixture.ts', '../dashboard/server/index.js', 'static'],
    ['playbooks/lib/fixture.ts', '../../cli/program.js', 'static'],
    ['playbooks/fixture.ts', '../dashboard/server/index.js', 'static'],
    ['dashboard/server/fixture.ts', '../../cli/main.js', 'static'],
  ])('%s importing %s (%s) fails the lint', async (filePath, from, form) => {
    const errors = await layerErrors(filePath, from, form);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${filePath.split('/')[0]}/ must not import`);
  });

  it.each<[string, string, Form]>([
    ['runner/store/fixture.ts', '../events/types.js', 'static'],
    ['runner/store/fixture.ts', '../reporters/index.js', 'lazy'],
    ['modules/lib/fixture.ts', '../../runner/module/define.js', 'static'],
    ['site/fixture.ts', '../modules/certbot-cert.js', 'static'],
    ['playbooks/lib/fixture.ts', '../../site/paths.js', 'static'],
    ['dashboard/server/fixture.ts', '../../site/status.js', 'static'],
    ['cli/commands/fixture.ts', '../../dashboard/server/serve.js', 'lazy'],
    ['cli/fixture.ts', '../playbooks/lib/acme.js', 'static'],
  ])('%s importing %s (%s) passes', async (filePath, from, form) => {
    expect(await layerErrors(filePath, from, form)).toEqual([]);
  });
});
