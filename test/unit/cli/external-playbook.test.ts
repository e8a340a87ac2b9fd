import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'vsa-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user's playbook outside the repository, importing from the `vsa` package, run with no build step. */
describe('a playbook file of the user', () => {
  it('imports from vsa and runs through the built binary', async () => {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'vsa'));
    const target = join(dir, 'made-by-playbook');
    writeFileSync(
      join(dir, 'hello.ts'),
      `import { definePlaybook, task, z, directory } from 'vsa';
export default definePlaybook({
  name: 'hello',
  description: 'outside the repository',
  hosts: 'all',
  params: z.object({ path: z.string() }),
  tasks: ({ path }) => [task(directory, 'make it', { path, mode: '0700' })],
});
`,
    );
    const r = await run(
      process.execPath,
      [
        join(root, 'bin/vsa.js'),
        'run',
        './hello.ts',
        '-i',
        join(root, 'inventory/local.yml'),
        '-e',
        `path=${target}`,
        '--json',
      ],
      { cwd: dir, env: { ...process.env, VITEST: '', VSA_HOME: join(dir, 'home') } },
    );
    const end = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { type: string; exitCode?: number; recap?: Record<string, { changed: number }> },
      )
      .find((e) => e.type === 'run:end');
    expect(end).toMatchObject({ exitCode: 0, recap: { localhost: { changed: 1 } } });
    expect(existsSync(target)).toBe(true);
  });
});
