import { readFile, writeFile } from 'node:fs/promises';
import { medianRun, type BenchResults, type RunFigures, type SizeResult } from './results.js';
import { round } from './stats.js';
import { checkTargets, overFloor, speedup } from './targets.js';

const s = (n: number | undefined) => (n === undefined ? '–' : `${round(n, n < 10 ? 2 : 1)} s`);

/** bench/RESULTS.md: the machine, every figure, the vsa/ansible ratios and the targets. */
export function resultsMarkdown(r: BenchResults, notes: string): string {
  const m = r.machine;
  return [
    '# Benchmark: vsa against ansible-playbook',
    '',
    `Written by \`npm run bench\` (test/bench/run.ts) on ${m.date.slice(0, 16).replace('T', ' ')} UTC; the bench took ${Math.round(r.benchS)} s.`,
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}, ${m.ansible}.`,
    `Load average (1 min) ${m.loadStart.toFixed(1)} at the start and ${m.loadEnd?.toFixed(1) ?? '?'} at the end: the lab's sshd and`,
    'shells share these cores with both tools and with whatever else runs on the machine.',
    '',
    'The same ten tasks on every host (playbooks/demo.ts; test/bench/ansible/site.yml): 4 directories, 2 templates',
    'notifying a handler, 2 line edits, 1 command (changed-when false), 1 stat. First run on a clean host (the',
    "playbook's directory removed everywhere), second run right after it (nothing to change). vsa: the median of",
    'its repetitions; Ansible: one run each (pipelining, ControlPersist, forks 20, no fact gathering; control',
    "connections closed before each first run, kept warm for the second, as Ansible's own best case).",
    '',
    'The floor is a plain ssh2 client (test/bench/floor-client.ts) run right after each vsa run on the same',
    "hosts, key and known_hosts: Node's start and ssh2's load, one connection and one persistent `sh` per host, 20",
    "hosts at a time, and as many round trips (`true`) per host as that vsa run made (its tasks' and the host lock's).",
    '',
    ...headlineTable(r),
    '',
    '## Targets',
    '',
    '| target | goal | measured | met |',
    '|---|---|---|---|',
    ...checkTargets(r).map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    '## Details',
    '',
    '| hosts | run | tool | wall | CPU (control) | CPU (hosts) | peak RSS | changed | connections / host | channels / host |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.sizes.flatMap(detailRows),
    '',
    `Start-up (median of ${r.startup.runs}): \`node -e 0\` ${r.startup.nodeMs} ms, \`vsa --version\` ${r.startup.versionMs} ms,`,
    `\`vsa run --help\` ${r.startup.runHelpMs} ms; \`vsa run\` spends ${r.startup.runOverheadMs} ms outside the play (process start to`,
    'run:start plus run:end to exit; median of the 1-host runs).',
    `One command on an open connection (\`true\`, 200 in a row): median ${r.roundTrip.trueMedianMs} ms, p90 ${r.roundTrip.trueP90Ms} ms;`,
    `a file probe (stat + sha256): median ${r.roundTrip.probeMedianMs} ms.`,
    `Peak RSS of \`vsa run\`: ${r.rss.map((x) => `${x.maxRssMb} MB at ${x.hosts} hosts`).join(', ')}.`,
    ...overheadLines(r),
    ...liveLines(r),
    '',
    ...roundTripTable(r),
    '',
    '`vsa history` over 10,000 stored runs (test/bench/history-bench.ts):',
    '',
    ...r.history.map((l) => `- ${l}`),
    '',
    notes.trim(),
    '',
  ].join('\n');
}

/** The short table the README quotes. */
export function headlineTable(r: BenchResults): string[] {
  const rows = r.sizes.flatMap((size) =>
    (['First', 'Second'] as const).map((run) => {
      const v = medianRun(size[`vsa${run}`]);
      const a = size[`ansible${run}`];
      const ratio = speedup(size, run);
      const floor = size[`floor${run}`];
      const vsaFloor = overFloor(size, run);
      return `| ${size.hosts} | ${run.toLowerCase()} | ${s(v.wallS)} | ${floor?.length ? s(medianRun(floor).wallS) : '–'} | ${vsaFloor ? `${round(vsaFloor, 2)}x` : '–'} | ${a ? s(a.wallS) : (size.ansibleNote ?? '–')} | ${ratio ? `${round(ratio)}x` : '–'} |`;
    }),
  );
  return [
    '| hosts | run | vsa | floor | vsa / floor | ansible-playbook | ansible / vsa |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function detailRows(size: SizeResult): string[] {
  const row = (run: string, tool: string, f: RunFigures | undefined) =>
    f
      ? `| ${size.hosts} | ${run} | ${tool} | ${s(f.wallS)} | ${s(f.cpuS)} | ${f.hostCpuS === undefined ? '–' : s(f.hostCpuS)} | ${f.maxRssMb} MB | ${f.changed} | ${round(f.sshd.connections, 2)} | ${round(f.sshd.sessions, 2)} |`
      : `| ${size.hosts} | ${run} | ${tool} | ${size.ansibleNote ?? 'not run'} | | | | | | |`;
  return [
    row('first', 'vsa', medianRun(size.vsaFirst)),
    row('second', 'vsa', medianRun(size.vsaSecond)),
    row('first', 'ansible', size.ansibleFirst),
    row('second', 'ansible', size.ansibleSecond),
  ];
}

function overheadLines(r: BenchResults): string[] {
  const o = r.overhead;
  if (!o) return [];
  return [
    `Outside the play, wall from spawn to exit (test/bench/run-overhead.ts, one lab host, median of ${o.runs} interleaved rounds):`,
    `\`node -e 0\` ${o.nodeMs} ms; \`vsa run demo\` ${o.builtinOutsidePlayMs} ms (${o.builtinBeyondNodeMs} ms beyond Node);`,
    `\`vsa run ./mine.ts\` (a user file importing \`vsa\` and a local helper) ${o.externalOutsidePlayMs} ms with its compile cached,`,
    `${o.externalFirstOutsidePlayMs} ms on its first run (${o.externalOverBuiltinMs} ms over the built-in when cached).`,
  ];
}

function liveLines(r: BenchResults): string[] {
  const l = r.live;
  if (!l) return [];
  return [
    `Live stream (test/bench/live-bench.ts): a runner process records ${l.hosts} hosts × ${l.tasks} tasks into the store while`,
    `one dashboard stream of that run is open; from each result's commit to its arrival on the stream: median`,
    `${l.medianMs} ms, p90 ${l.p90Ms} ms, max ${l.maxMs} ms (${l.results} results).`,
  ];
}

function roundTripTable(r: BenchResults): string[] {
  const size = r.sizes.find((x) => x.hosts === 20) ?? r.sizes[0]!;
  const first = medianRun(size.vsaFirst).roundTrips?.byTask ?? {};
  const second = medianRun(size.vsaSecond).roundTrips?.byTask ?? {};
  return [
    `Round trips per task (vsa on ${size.hosts} host${size.hosts === 1 ? '' : 's'}, from the \`roundTrips\` of \`--json\`; the same on every host):`,
    '',
    '| task | first run | second run |',
    '|---|---|---|',
    ...Object.keys(first).map(
      (t) =>
        `| ${t} | ${first[t]!.roundTrips} (${first[t]!.status}) | ${second[t] ? `${second[t].roundTrips} (${second[t].status})` : 'not run'} |`,
    ),
  ];
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the table between the README's bench markers. */
export async function updateReadme(file: string, r: BenchResults): Promise<void> {
  const text = await readFile(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} has no ${START} … ${END} section`);
  const m = r.machine;
  const body = [
    `${m.cores} cores, Node ${m.node}, ${m.ansible}, ${m.date.slice(0, 10)} (load average ${m.loadStart.toFixed(1)}):`,
    '',
    ...headlineTable(r),
  ].join('\n');
  await writeFile(file, `${text.slice(0, a + START.length)}\n${body}\n${text.slice(b)}`);
}
