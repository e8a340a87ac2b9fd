// `npm run bench`: vsa against ansible-playbook on the same lab hosts. Brings up its own lab
// (sshd only, first free slot), measures, always tears it down, and writes bench/results.json,
// bench/RESULTS.md and the README's Performance table. Needs root (the lab) and ansible-core.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { writeInventory } from '../lab/inventory.js';
import { labUp, type Lab } from '../lab/lab.js';
import type { LabHost } from '../lab/plugins/types.js';
import { closeControlMasters, CONTROL_DIR, runAnsible } from './ansible-run.js';
import { hostCpuSeconds, perHost, sshdCounts } from './lab-counters.js';
import { describeMachine } from './machine.js';
import { resultsMarkdown, updateReadme } from './report.js';
import {
  figures,
  type BenchResults,
  type FloorFigures,
  type LiveFigures,
  type OverheadFigures,
  type RunFigures,
  type SizeResult,
} from './results.js';
import { buildFloor, runFloor } from './floor.js';
import { measureRoundTrip } from './round-trip.js';
import { measureStartup } from './startup.js';
import { median, round } from './stats.js';
import { runVsa, type VsaRun } from './vsa-run.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,20,100' },
    rss: { type: 'string', default: '100,200' },
    repeat: { type: 'string', default: '3' },
    // Skip Ansible's second run at a size whose first run took longer (seconds).
    'ansible-budget': { type: 'string', default: '240' },
    'no-ansible': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench' },
    readme: { type: 'string', default: 'README.md' },
    // Only render RESULTS.md and the README table again from OUT/results.json (e.g. after editing notes.md).
    'report-only': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rssSizes = values.rss.split(',').map(Number);
const repeat = Number(values.repeat);
const budgetS = Number(values['ansible-budget']);
const TASKS_CHANGED = 9; // 8 tasks and the handler change a clean host
const FORKS = 20; // vsa's default, which the bench's runs use

async function main(): Promise<void> {
  const started = performance.now();
  const machine = describeMachine();
  log(`machine: ${machine.cores} cores, load ${machine.loadStart.toFixed(1)}`);
  const startup = measureStartup();
  log(
    `start-up: node ${startup.nodeMs} ms, --version ${startup.versionMs} ms, run --help ${startup.runHelpMs} ms`,
  );
  const tmp = await mkdtemp(join(tmpdir(), 'vsa-bench-'));
  await mkdir(CONTROL_DIR, { recursive: true });
  const most = Math.max(...sizes, ...rssSizes);
  log(`lab: ${most} hosts`);
  // A busy machine now and then loses an sshd at start (the lab then removes itself): one more try.
  const up = () => labUp({ hosts: most, slot: 'auto', plugins: [] });
  const lab = await up().catch((e: unknown) => {
    log(`lab: ${e instanceof Error ? e.message : String(e)}; trying once more`);
    return up();
  });
  const stop = () => void cleanup().finally(() => process.exit(130));
  const cleanup = async () => {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await closeControlMasters();
    await lab.down();
    await rm(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const bench = new Bench(lab, tmp, await buildFloor(join(tmp, 'floor')));
    const results: SizeResult[] = [];
    for (const n of sizes) results.push(await bench.size(n));
    const rss = [];
    for (const n of rssSizes) rss.push(await bench.rss(n));
    const roundTrip = await measureRoundTrip(await bench.inventory(1), lab.knownHostsFile);
    const ones = results.find((r) => r.hosts === 1);
    const overheads = ones
      ? [...ones.vsaFirst, ...ones.vsaSecond].map((f) => (f.wallS - f.playS!) * 1000)
      : [];
    const history = benchScript('history-bench.ts').trim().split('\n');
    log('external playbook and start-up (run-overhead.ts)');
    const overhead = JSON.parse(
      benchScript('run-overhead.ts', '5', await bench.inventory(1), lab.knownHostsFile),
    ) as OverheadFigures;
    log('live stream latency at 150 hosts (live-bench.ts)');
    const live = JSON.parse(benchScript('live-bench.ts')) as LiveFigures;
    machine.loadEnd = loadavg()[0]!;
    const all: BenchResults = {
      machine,
      startup: { ...startup, runOverheadMs: round(median(overheads), 0) },
      roundTrip: {
        trueMedianMs: round(roundTrip.trueMedianMs, 2),
        trueP90Ms: round(roundTrip.trueP90Ms, 2),
        probeMedianMs: round(roundTrip.probeMedianMs, 2),
      },
      sizes: results,
      rss,
      history,
      overhead,
      live,
      benchS: round((performance.now() - started) / 1000, 0),
    };
    await write(all);
  } finally {
    await cleanup();
  }
}

class Bench {
  private readonly inventories = new Map<number, string>();

  constructor(
    private readonly lab: Lab,
    private readonly tmp: string,
    private readonly floorClient: string,
  ) {}

  async size(n: number): Promise<SizeResult> {
    const floorFirst: FloorFigures[] = [];
    const floorSecond: FloorFigures[] = [];
    const result: SizeResult = { hosts: n, vsaFirst: [], vsaSecond: [], floorFirst, floorSecond };
    // Each floor run follows the vsa run whose round trips it repeats, so both see the same load.
    for (let i = 0; i < repeat; i++) {
      for (const [first, vsa, floor] of [
        [true, result.vsaFirst, floorFirst],
        [false, result.vsaSecond, floorSecond],
      ] as const) {
        const { figures: f, trips } = await this.vsa(n, first);
        vsa.push(f);
        floor.push(await this.floor(n, trips));
      }
    }
    const walls = (fs: { wallS: number }[]) => fs.map((f) => f.wallS).join('/');
    log(`${n} hosts: vsa ${walls(result.vsaFirst)} s first, ${walls(result.vsaSecond)} s second`);
    log(`${n} hosts: floor ${walls(floorFirst)} s first, ${walls(floorSecond)} s second`);
    if (values['no-ansible']) return { ...result, ansibleNote: 'not run (--no-ansible)' };
    result.ansibleFirst = await this.ansible(n, true);
    log(`${n} hosts: ansible ${result.ansibleFirst.wallS} s first`);
    if (result.ansibleFirst.wallS > budgetS) {
      result.ansibleNote = `second run not measured (the first took ${Math.round(result.ansibleFirst.wallS)} s)`;
      return result;
    }
    result.ansibleSecond = await this.ansible(n, false);
    log(`${n} hosts: ansible ${result.ansibleSecond.wallS} s second`);
    return result;
  }

  async rss(n: number): Promise<{ hosts: number; maxRssMb: number; wallS: number }> {
    const { figures: f } = await this.vsa(n, true);
    log(`${n} hosts: vsa peak RSS ${f.maxRssMb} MB (${f.wallS} s)`);
    return { hosts: n, maxRssMb: f.maxRssMb, wallS: f.wallS };
  }

  async inventory(n: number): Promise<string> {
    let file = this.inventories.get(n);
    if (!file) {
      file = join(this.tmp, `inventory-${n}.yml`);
      await writeInventory(file, this.hosts(n), this.lab.keyFile, this.lab.knownHostsFile);
      this.inventories.set(n, file);
    }
    return file;
  }

  private hosts(n: number): LabHost[] {
    return this.lab.hosts.slice(0, n);
  }

  /** A first run starts from hosts without the playbook's directory. */
  private async clean(n: number): Promise<void> {
    await Promise.all(
      this.hosts(n).map((h) => rm(join(h.root, 'srv/vsa-demo'), { recursive: true, force: true })),
    );
  }

  private async vsa(n: number, first: boolean): Promise<{ figures: RunFigures; trips: Record<string, number> }> {
    if (first) await this.clean(n);
    const target = {
      inventory: await this.inventory(n),
      knownHosts: this.lab.knownHostsFile,
      home: join(this.tmp, 'vsa-home'),
    };
    let trips: Record<string, number> = {};
    const figures = await this.measured(n, first, 'vsa', async () => {
      const r: VsaRun = await runVsa(target);
      if (r.exitCode !== 0 || r.failed > 0)
        throw new Error(`vsa run failed (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
      trips = r.tripsByHost;
      return r;
    });
    return { figures, trips };
  }

  /** The floor client on the same hosts, with the same key, known_hosts, forks and round trips. */
  private async floor(n: number, trips: Record<string, number>): Promise<FloorFigures> {
    const hosts = this.hosts(n);
    const r = await runFloor(this.floorClient, {
      hosts: hosts.map((h) => ({ address: h.address, port: 22, user: 'root' })),
      keyFile: this.lab.keyFile,
      knownHostsFile: this.lab.knownHostsFile,
      trips: hosts.map((h) => trips[h.name] ?? 0),
      forks: FORKS,
    });
    return { wallS: r.wallS, cpuS: round(r.cpuS, 2), maxRssMb: Math.round(r.maxRssMb) };
  }

  private async ansible(n: number, first: boolean): Promise<RunFigures> {
    if (first) {
      await closeControlMasters();
      await this.clean(n);
    }
    const inventory = await this.inventory(n);
    return this.measured(n, first, 'ansible', async () => {
      const r = await runAnsible(inventory, this.tmp);
      if (r.code !== 0 || r.failed > 0)
        throw new Error(`ansible-playbook failed (exit ${r.code}): ${r.stdout.slice(-1500)}`);
      return r;
    });
  }

  private async measured(
    n: number,
    first: boolean,
    tool: string,
    run: () => Promise<VsaRun | Awaited<ReturnType<typeof runAnsible>>>,
  ) {
    const hosts = this.hosts(n);
    const before = await sshdCounts(this.lab, hosts);
    const cpu0 = await hostCpuSeconds(this.lab);
    const r = await run();
    const changed = first ? TASKS_CHANGED * n : 0;
    if (r.changed !== changed)
      throw new Error(
        `${tool} changed ${r.changed} tasks on ${first ? 'a first' : 'a second'} run of ${n} hosts, not ${changed}`,
      );
    // The listeners reap their connections' processes a moment after the client has gone.
    if (tool === 'vsa') await sleep(300);
    const sshd = perHost(before, await sshdCounts(this.lab, hosts), n);
    // Ansible's persistent connections are still open, so the hosts' CPU is only exact for vsa.
    return figures(r, sshd, tool === 'vsa' ? round((await hostCpuSeconds(this.lab)) - cpu0, 2) : undefined);
  }
}

/** One of the bench's own scripts beside this file, run apart so its start-up is its own: what it printed. */
function benchScript(name: string, ...args: string[]): string {
  const r = spawnSync('npx', ['tsx', `test/bench/${name}`, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}): ${r.stderr.slice(-500)}`);
  return r.stdout;
}

async function write(r: BenchResults): Promise<void> {
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  const notes = await readFile(new URL('./notes.md', import.meta.url), 'utf8');
  await writeFile(join(values.out, 'RESULTS.md'), resultsMarkdown(r, notes));
  await updateReadme(values.readme, r);
  log(`wrote ${values.out}/results.json, ${values.out}/RESULTS.md and ${values.readme}`);
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

const job = values['report-only']
  ? readFile(join(values.out, 'results.json'), 'utf8').then((t) => write(JSON.parse(t) as BenchResults))
  : main();
job.catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
