import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachedPlaybook, type PlaybookCache } from '../../../runner/playbook/compile-cache.js';
import { compilePlaybook } from '../../../runner/playbook/compile-playbook.js';

/** A write into this folder stops halfway, as when the run is killed or the disk fills. */
const failing = vi.hoisted(() => ({ under: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const writeFileSync: typeof real.writeFileSync = (path, data, options) => {
    if (!failing.under || !String(path).startsWith(failing.under)) return real.writeFileSync(path, data, options);
    real.writeFileSync(path, String(data).slice(0, String(data).length / 2), options);
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return { ...real, writeFileSync, default: { ...real, writeFileSync } };
});

let dir: string;
let cache: PlaybookCache & { compiles: number };
const playbook = () => join(dir, 'play.ts');

/** A playbook-shaped file whose default export says which version of it and of its import ran. */
function writePlaybook(version: string, helper = 'one'): void {
  writeFileSync(join(dir, 'helper.ts'), `export const helper: string = '${helper}';\n`);
  writeFileSync(
    playbook(),
    `import { helper } from './helper.ts';\nconst version: string = '${version}';\nexport default { version, helper, here: import.meta.url };\n`,
  );
}

const load = async () => {
  const r = await cachedPlaybook(playbook(), cache);
  const mod = (await import(r.url)) as { default: { version: string; helper: string; here: string } };
  return { ...r, ...mod.default };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vsa-compile-cache-'));
  cache = {
    dir: join(dir, 'cache'),
    vsa: '1.0.0',
    compiles: 0,
    compile: (file) => {
      cache.compiles++;
      return compilePlaybook(file);
    },
  };
});
afterEach(() => {
  failing.under = '';
  rmSync(dir, { recursive: true, force: true });
});

describe('the compile cache of playbook files', () => {
  it('compiles once: a second load of the same content is the cached module, without the compiler', async () => {
    writePlaybook('a');
    const first = await load();
    const second = await load();
    expect(first).toMatchObject({ from: 'compiler', version: 'a', helper: 'one' });
    expect(second).toMatchObject({ from: 'cache', version: 'a', url: first.url });
    expect(cache.compiles).toBe(1);
    // The compiled module still knows the file it came from, not the cache that holds it.
    expect(second.here).toBe(pathToFileURL(playbook()).href);
  });

  it('compiles again when the playbook changes, and when a file it imports changes', async () => {
    writePlaybook('a');
    await load();
    writePlaybook('b');
    expect(await load()).toMatchObject({ from: 'compiler', version: 'b', helper: 'one' });
    writePlaybook('b', 'two');
    expect(await load()).toMatchObject({ from: 'compiler', version: 'b', helper: 'two' });
    expect(await load()).toMatchObject({ from: 'cache', version: 'b', helper: 'two' });
    expect(cache.compiles).toBe(3);
  });

  it('compiles again for another vsa version', async () => {
    writePlaybook('a');
    await load();
    cache.vsa = '1.0.1';
    expect(await load()).toMatchObject({ from: 'compiler' });
  });

  it('ignores a corrupt entry and rewrites it', async () => {
    writePlaybook('a');
    await load();
    const manifest = readdirSync(cache.dir).find((f) => f.endsWith('.json'))!;
    writeFileSync(join(cache.dir, manifest), '{"format":1,"vsa":');
    expect(await load()).toMatchObject({ from: 'compiler', version: 'a' });
    expect(await load()).toMatchObject({ from: 'cache' });

    writeFileSync(join(cache.dir, manifest), JSON.stringify({ format: 1, vsa: '1.0.0', entry: playbook() }));
    expect(await load()).toMatchObject({ from: 'compiler' });
    expect(await load()).toMatchObject({ from: 'cache' });
  });

  it('ignores a compiled file that is cut short and writes it again', async () => {
    writePlaybook('a');
    const first = await cachedPlaybook(playbook(), cache);
    truncateSync(fileURLToPath(first.url), 20);
    expect(await load()).toMatchObject({ from: 'compiler', version: 'a' });
    expect(readFileSync(fileURLToPath(first.url), 'utf8')).toContain("version = \"a\"");
    expect(cache.compiles).toBe(2);
  });

  it('a write that stops halfway leaves no entry: the next run compiles and loads a whole one', async () => {
    writePlaybook('a');
    failing.under = cache.dir;
    await expect(cachedPlaybook(playbook(), cache)).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(cache.dir)).toEqual([]);
    failing.under = '';
    expect(await load()).toMatchObject({ from: 'compiler', version: 'a' });
    expect(await load()).toMatchObject({ from: 'cache', version: 'a' });
  });

  it('leaves no temporary files and one compiled file per entry', async () => {
    writePlaybook('a');
    await Promise.all([load(), load(), load(), load()]);
    writePlaybook('b');
    await load();
    const files = readdirSync(cache.dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    // The one of version a stays a minute, for a concurrent run that checked it and imports it now.
    expect(files.filter((f) => f.endsWith('.mjs'))).toHaveLength(2);
  });

  it('concurrent runs rewriting one playbook each import a whole entry', { timeout: 60_000 }, async () => {
    const driver = join(dir, 'driver.mts');
    writeFileSync(
      driver,
      `import { renameSync, writeFileSync } from 'node:fs';
import { cachedPlaybook } from ${JSON.stringify(resolve('runner/playbook/compile-cache.ts'))};
const [file, cacheDir, me] = process.argv.slice(2);
for (let i = 0; i < 12; i++) {
  const version = String((Number(me) + i) % 3);
  // The playbook itself is replaced whole: this is about the cache's entries, not a half-saved source.
  writeFileSync(file + me, 'export default { version: ' + JSON.stringify(version) + ' };\\n');
  renameSync(file + me, file);
  const { url } = await cachedPlaybook(file, { dir: cacheDir, vsa: '1.0.0' });
  const got = (await import(url)).default.version;
  if (!['0', '1', '2'].includes(got)) throw new Error('imported ' + got);
}
`,
    );
    const runs = [0, 1, 2, 3].map((me) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', driver, playbook(), cache.dir, String(me)], {
        env: { ...process.env, VITEST: '' },
      }),
    );
    await expect(Promise.all(runs)).resolves.toHaveLength(4);
    expect(readdirSync(cache.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
