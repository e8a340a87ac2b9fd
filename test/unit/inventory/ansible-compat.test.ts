/**
 * Compares vsa's inventory with Debian's ansible-core on the same files: `ansible-inventory --list`
 * (as data and as printed text) and `--graph` against toAnsibleList / toAnsibleGraph, host patterns against selectHosts and
 * `--limit` against limitHosts. Patterns go through ansible's own InventoryManager in one process
 * (list-hosts.py) because the CLI costs a second per call; two `ansible --list-hosts` calls check
 * that this shortcut agrees with the CLI. ansible-core is a test dependency (.ci/run installs
 * it): without it this file fails rather than skips.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  limitHosts,
  loadInventory,
  selectHosts,
  toAnsibleGraph,
  toAnsibleList,
  formatAnsibleJson,
} from '../../../runner/inventory/index.js';

const run = promisify(execFile);
const fixtures = 'test/fixtures/inventory';
const files = [
  `${fixtures}/nested.yml`,
  `${fixtures}/top-level.yml`,
  `${fixtures}/ranges.yml`,
  `${fixtures}/connection.yml`,
  `${fixtures}/diamond.yml`,
  `${fixtures}/yaml-features.yml`,
  'inventory/example.yml',
  'inventory/local.yml',
];
const graphs = [`${fixtures}/nested.yml`, `${fixtures}/diamond.yml`, 'inventory/example.yml'];

// Orders are compared exactly, so these inventories avoid the one spot where Ansible's own
// order varies between runs: new groups found at the same depth under two different parents.
const patterns: [file: string, pattern: string][] = [
  ['nested.yml', 'all'],
  ['nested.yml', 'web'],
  ['nested.yml', 'web:!web_eu'],
  ['nested.yml', 'web:&db'],
  ['nested.yml', 'web0*:db*'],
  ['nested.yml', '~(web|db)0[13]'],
  ['nested.yml', 'web_eu,monitoring'],
  ['nested.yml', 'ungrouped'],
  ['nested.yml', '!web'],
  ['nested.yml', 'web[1:]'],
  ['nested.yml', 'web[-1]'],
  ['top-level.yml', 'all'],
  ['top-level.yml', 'shop*'],
  ['top-level.yml', '*.example.com:!shop2*'],
  ['top-level.yml', 'ungrouped:apps'],
  ['ranges.yml', 'db-[xy]?'],
  ['ranges.yml', 'web*dc2*:ssh_ports:&app*'],
  ['ranges.yml', 'fd00::5'],
  ['diamond.yml', 'all'],
  ['diamond.yml', 'role_web:&region_eu'],
  ['diamond.yml', 'region_*'],
  ['diamond.yml', '!region_eu'],
  ['connection.yml', 'legacy:modern:control'],
  ['connection.yml', 'old*:localhost'],
];
const limits: [file: string, limit: string][] = [
  ['nested.yml', 'web_eu:db01'],
  ['diamond.yml', 'pw*:!pw1'],
  ['../../../inventory/example.yml', 'staging,db'],
];

const home = mkdtempSync(join(tmpdir(), 'vsa-ansible-'));
const env = {
  ...process.env,
  HOME: home,
  ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_HOST_PATTERN_MISMATCH: 'ignore',
  ANSIBLE_NOCOLOR: '1',
};

async function ansible(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { env, maxBuffer: 16 << 20 });
  return stdout;
}

/** `ansible --list-hosts` prints "  hosts (N):" and then one indented name per line. */
const hostLines = (out: string) =>
  out
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);

/** Ansible starts slowly (~1 s a call): run every call up front, two at a time. */
async function inPool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

type HostsJob = [file: string, pattern: string, limit: string | null];

/** Runs list-hosts.py with the Python that ansible itself runs on (its shebang). */
async function ansibleHosts(jobs: HostsJob[]): Promise<string[][]> {
  const ansiblePath = (await run('sh', ['-c', 'command -v ansible'], { env })).stdout.trim();
  const [python, ...pyArgs] = readFileSync(ansiblePath, 'utf8')
    .split('\n')[0]!
    .replace(/^#!\s*/, '')
    .split(/\s+/);
  const child = run(python!, [...pyArgs, join(fixtures, 'list-hosts.py')], { env });
  child.child.stdin!.end(JSON.stringify(jobs));
  return JSON.parse((await child).stdout) as string[][];
}

const cliChecks: [file: string, pattern: string][] = [
  ['nested.yml', 'web:!web_eu'],
  ['ranges.yml', 'web*dc2*:ssh_ports:&app*'],
];
const expected = new Map<string, unknown>();

beforeAll(async () => {
  try {
    await ansible('ansible-inventory', ['--version']);
  } catch (e) {
    throw new Error(`ansible-core is required for this test (apt-get install ansible-core): ${e}`);
  }
  const jobs = new Map<string, () => Promise<unknown>>();
  for (const f of files) {
    jobs.set(`list ${f}`, () => ansible('ansible-inventory', ['-i', f, '--list']));
  }
  for (const f of graphs) {
    jobs.set(`graph ${f}`, async () => (await ansible('ansible-inventory', ['-i', f, '--graph'])).trimEnd());
  }
  for (const [f, p] of cliChecks) {
    jobs.set(`cli ${f} ${p}`, async () =>
      hostLines(await ansible('ansible', ['-i', join(fixtures, f), p, '--list-hosts'])),
    );
  }
  jobs.set('hosts', () =>
    ansibleHosts([
      ...patterns.map(([f, p]): HostsJob => [join(fixtures, f), p, null]),
      ...limits.map(([f, l]): HostsJob => [join(fixtures, f), 'all', l]),
    ]),
  );
  const results = await inPool([...jobs.values()]);
  [...jobs.keys()].forEach((key, i) => expected.set(key, results[i]));
  const hosts = expected.get('hosts') as string[][];
  patterns.forEach(([f, p], i) => expected.set(`pattern ${f} ${p}`, hosts[i]));
  limits.forEach(([f, l], i) => expected.set(`limit ${f} ${l}`, hosts[patterns.length + i]));
}, 120_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('vsa inventory matches ansible-core', () => {
  it.each(files)('--list of %s', async (file) => {
    const mine = formatAnsibleJson(toAnsibleList(await loadInventory(file)));
    const theirs = expected.get(`list ${file}`) as string;
    expect(JSON.parse(mine)).toEqual(JSON.parse(theirs));
    // Same keys in the same order, same indentation: the printed text is identical too.
    expect(mine).toBe(theirs.trimEnd());
  });

  it.each(graphs)('--graph of %s', async (file) => {
    expect(toAnsibleGraph(await loadInventory(file))).toBe(expected.get(`graph ${file}`));
  });

  it.each(cliChecks)('%s: `ansible %s --list-hosts` agrees with list-hosts.py', (file, pattern) => {
    expect(expected.get(`cli ${file} ${pattern}`)).toEqual(expected.get(`pattern ${file} ${pattern}`));
  });

  it.each(patterns)('%s: pattern %s', async (file, pattern) => {
    const inv = await loadInventory(join(fixtures, file));
    const theirs = expected.get(`pattern ${file} ${pattern}`) as string[];
    expect(theirs.length).toBeGreaterThan(0);
    expect(selectHosts(inv, pattern).map((h) => h.name)).toEqual(theirs);
  });

  it.each(limits)('%s: --limit %s', async (file, limit) => {
    const inv = await loadInventory(join(fixtures, file));
    const all = selectHosts(inv, 'all');
    expect(limitHosts(inv, all, limit).map((h) => h.name)).toEqual(expected.get(`limit ${file} ${limit}`));
  });
});
