import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../../runner/playbook/compile-playbook.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vsa-compile-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};

describe('compiling a playbook file', () => {
  it('bundles its local files, each keeping its own location, and imports packages from where they resolve', async () => {
    write('node_modules/esm-pkg/package.json', '{ "name": "esm-pkg", "type": "module", "exports": "./main.js" }');
    write('node_modules/esm-pkg/main.js', 'export const answer = 42;\n');
    write('node_modules/cjs-pkg/package.json', '{ "name": "cjs-pkg", "main": "index.js" }');
    write('node_modules/cjs-pkg/index.js', 'module.exports = { cjs: true };\n');
    write(
      'lib/where.ts',
      `export const where: Record<string, string> = { url: import.meta.url, dir: import.meta.dirname, cjsDir: __dirname };\n`,
    );
    write(
      'play.ts',
      `import { answer } from 'esm-pkg';
import { where } from './lib/where.ts';
const { cjs } = require('cjs-pkg') as { cjs: boolean };
export default { answer, cjs, where, here: import.meta.url };
`,
    );
    const c = await compilePlaybook(join(dir, 'play.ts'));
    expect(c.inputs.map((i) => i.path).sort()).toEqual([join(dir, 'lib/where.ts'), join(dir, 'play.ts')]);
    expect(c.externals).toEqual([join(dir, 'node_modules/cjs-pkg/index.js'), join(dir, 'node_modules/esm-pkg/main.js')]);
    expect(c.code).toContain(pathToFileURL(join(dir, 'node_modules/esm-pkg/main.js')).href);
    expect(c.code).not.toContain('answer = 42');

    // Run from elsewhere, as from the cache.
    const out = join(dir, 'elsewhere', 'compiled.mjs');
    write('elsewhere/compiled.mjs', c.code);
    const mod = (await import(pathToFileURL(out).href)) as { default: Record<string, unknown> };
    expect(mod.default).toEqual({
      answer: 42,
      cjs: true,
      here: pathToFileURL(join(dir, 'play.ts')).href,
      where: { url: pathToFileURL(join(dir, 'lib/where.ts')).href, dir: join(dir, 'lib'), cjsDir: join(dir, 'lib') },
    });
  });

  it('fails with the file, line and column of a syntax error', async () => {
    write('broken.ts', 'export default {\n  name: "x",\n}}\n');
    await expect(compilePlaybook(join(dir, 'broken.ts'))).rejects.toMatchObject({
      errors: [{ text: 'Unexpected "}"', location: { file: 'broken.ts', line: 3, column: 1 } }],
    });
  });
});
