// `vsa run` outside the play: the built-in demo playbook and a user's playbook file beside it,
// against `node -e 0`, on one host of a lab (`npm run lab:up -- --hosts 1`) or on the control
// machine (inventory/local.yml, the default).
// `npx tsx test/bench/run-overhead.ts [runs] [inventory [known_hosts]]` after `npm run build`;
// prints one JSON object.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, round } from './stats.js';

const runs = Number(process.argv[2] ?? 9);
const root = resolve('.');
const inventory = resolve(process.argv[3] ?? 'inventory/local.yml');
const knownHosts = process.argv[4] ? ['--known-hosts', resolve(process.argv[4])] : [];
const dir = mkdtempSync(join(tmpdir(), 'vsa-overhead-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'vsa'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  join(dir, 'paths.ts'),
  `export const under = (root: string, name: string): string => \`\${root}/\${name}\`;\n`,
);
writeFileSync(
  join(dir, 'mine.ts'),
  `import { definePlaybook, task, z, directory, lineInFile, stat } from 'vsa';
import { under } from './paths.ts';

export default definePlaybook({
  name: 'mine',
  description: 'a user playbook beside the bench',
  hosts: 'all',
  params: z.object({ root: z.string() }),
  tasks: ({ root }) => [
    task(directory, 'app directory', { path: root, mode: '0755' }),
    task(lineInFile, 'log level', { path: under(root, 'env'), regexp: '^log', line: 'log = info', create: true }),
    task(stat, 'env present', { path: under(root, 'env') }),
  ],
});
`,
);

const env = { ...process.env, VSA_HOME: join(dir, 'home'), NO_COLOR: '1', VITEST: '' };
const vsa = (playbook: string) => [
  'node',
  join(root, 'bin/vsa.js'),
  'run',
  playbook,
  '-i',
  inventory,
  ...knownHosts,
  '-e',
  `root=${join(dir, playbook.replace(/\W/g, ''))}`,
  '--json',
];

/** Wall milliseconds of argv, with what it printed. */
function wall(argv: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { env, cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return { ms: performance.now() - t, stdout: r.stdout };
}

/** Wall milliseconds outside the play: process start to run:start plus run:end to exit. */
function outside(playbook: string): number {
  const r = wall(vsa(playbook));
  const end = r.stdout.split('\n').find((l) => l.includes('"type":"run:end"'));
  if (!end) throw new Error(`vsa run ${playbook} ended without run:end`);
  return r.ms - (JSON.parse(end) as { durationMs: number }).durationMs;
}

try {
  const first = outside('./mine.ts');
  const samples = { node: [] as number[], builtin: [] as number[], external: [] as number[] };
  // One round first warms the page cache and the compile cache; rounds interleave so load hits all alike.
  for (let i = 0; i <= runs; i++) {
    const n = wall(['node', '-e', '0']).ms;
    const b = outside('demo');
    const e = outside('./mine.ts');
    if (i === 0) continue;
    samples.node.push(n);
    samples.builtin.push(b);
    samples.external.push(e);
  }
  const nodeMs = median(samples.node);
  const builtinMs = median(samples.builtin);
  const externalMs = median(samples.external);
  process.stdout.write(
    `${JSON.stringify({
      runs,
      nodeMs: round(nodeMs, 0),
      builtinOutsidePlayMs: round(builtinMs, 0),
      builtinBeyondNodeMs: round(builtinMs - nodeMs, 0),
      externalFirstOutsidePlayMs: round(first, 0),
      externalOutsidePlayMs: round(externalMs, 0),
      externalOverBuiltinMs: round(externalMs - builtinMs, 0),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
