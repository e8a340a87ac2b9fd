import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { captureOutput } from './capture-output.js';

const dir = mkdtempSync(join(tmpdir(), 'vsa-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const output = captureOutput();

const playbook = (args: string) => `import { definePlaybook, task, z, directory } from 'vsa';
export default definePlaybook({
  name: 'hello',
  description: 'outside the repository',
  hosts: 'all',
  params: z.object({ path: z.string() }),
  tasks: ({ path }) => [task(directory, 'make it', ${args})],
});
`;

/** `vsa check FILE`: the user's playbook against vsa's types, with nothing run. */
describe('vsa check', { timeout: 60_000 }, () => {
  it('passes a playbook whose types hold', async () => {
    const file = join(dir, 'good.ts');
    writeFileSync(file, playbook(`{ path, mode: '0700' }`));
    expect(await main(['check', file])).toBe(0);
    expect(output.out()).toBe(`${file}: types ok\n`);
  });

  it('reports a wrong argument type at its line as tsc does, exit 5', async () => {
    const file = join(dir, 'bad.ts');
    writeFileSync(file, playbook(`{ path, mode: 700 }`));
    expect(await main(['check', file])).toBe(5);
    expect(output.err()).toMatch(/bad\.ts\(7,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it('names a missing file, exit 5', async () => {
    expect(await main(['check', join(dir, 'nope.ts')])).toBe(5);
    expect(output.err()).toContain(`playbook file not found: ${join(dir, 'nope.ts')}`);
  });
});
