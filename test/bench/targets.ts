import { medianRun, type BenchResults, type SizeResult } from './results.js';
import { round } from './stats.js';

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

/** Issues 8's and 21's targets, checked against one bench run. */
export function checkTargets(r: BenchResults): Target[] {
  const at = (n: number) => r.sizes.find((s) => s.hosts === n);
  const s20 = at(20);
  const s100 = at(100);
  const out: Target[] = [];
  const s1 = at(1);
  const s1Second = s1 && speedup(s1, 'Second');
  if (s1Second !== undefined)
    out.push({
      name: 'vsa vs ansible on 1 host, second run',
      goal: '≥ 15x faster',
      measured: `${round(s1Second)}x`,
      met: s1Second >= 15,
    });
  for (const run of ['First', 'Second'] as const) {
    for (const size of [s20, s100]) {
      const ratio = size && speedup(size, run);
      if (size && ratio !== undefined)
        out.push({
          name: `vsa vs ansible at ${size.hosts} hosts, ${run.toLowerCase()} run`,
          goal: '≥ 30x faster',
          measured: `${round(ratio)}x`,
          met: ratio >= 30,
        });
    }
    if (s20 && s100) {
      const growth = medianRun(s100[`vsa${run}`]).wallS / medianRun(s20[`vsa${run}`]).wallS;
      // With 20 forks, 20 hosts are one wave and 100 hosts five: time may grow 5x at most.
      const limit = 5;
      out.push({
        name: `vsa time 20 → 100 hosts, ${run.toLowerCase()} run`,
        goal: `≤ ${limit}x (hosts / forks)`,
        measured: `${round(growth, 2)}x`,
        met: growth <= limit,
      });
    }
  }
  for (const size of [s20, s100])
    for (const run of ['First', 'Second'] as const) {
      const ratio = size && overFloor(size, run);
      if (size && ratio !== undefined)
        out.push({
          name: `vsa vs the floor at ${size.hosts} hosts, ${run.toLowerCase()} run`,
          goal: '≤ 1.3x',
          measured: `${round(ratio, 2)}x`,
          met: ratio <= 1.3,
        });
    }
  const vsaRuns = r.sizes.flatMap((s) => [...s.vsaFirst, ...s.vsaSecond]);
  const conns = Math.max(...vsaRuns.map((f) => f.sshd.connections));
  out.push({
    name: 'SSH connections per host per run',
    goal: '1',
    measured: String(round(conns, 2)),
    met: conns <= 1,
  });
  const maxOk = Math.max(...vsaRuns.map((f) => f.roundTrips?.maxOk ?? 0));
  const maxChanged = Math.max(...vsaRuns.map((f) => f.roundTrips?.maxChanged ?? 0));
  out.push({ name: 'round trips per unchanged task', goal: '1', measured: String(maxOk), met: maxOk <= 1 });
  out.push({
    name: 'round trips per changed task',
    goal: '≤ 2',
    measured: String(maxChanged),
    met: maxChanged <= 2,
  });
  const { nodeMs, versionMs, runOverheadMs } = r.startup;
  out.push({
    name: '`vsa --version` vs `node -e 0`',
    goal: '≤ 2x',
    measured: `${round(versionMs / nodeMs, 2)}x (${versionMs} vs ${nodeMs} ms)`,
    met: versionMs <= 2 * nodeMs,
  });
  out.push({
    name: '`vsa run` start-up overhead',
    goal: '< 300 ms',
    measured: `${runOverheadMs} ms`,
    met: runOverheadMs < 300,
  });
  const beyondNode = round(runOverheadMs - nodeMs, 0);
  out.push({
    name: '`vsa run` outside the play beyond `node -e 0`',
    goal: '≤ 150 ms',
    measured: `${beyondNode} ms`,
    met: beyondNode <= 150,
  });
  if (r.overhead)
    out.push({
      name: '`vsa run ./my.ts` over a built-in playbook, compile cached',
      goal: '≤ 100 ms',
      measured: `${r.overhead.externalOverBuiltinMs} ms`,
      met: r.overhead.externalOverBuiltinMs <= 100,
    });
  if (r.live)
    out.push({
      name: `task result → open dashboard stream at ${r.live.hosts} hosts, median`,
      goal: '≤ 100 ms',
      measured: `${r.live.medianMs} ms (p90 ${r.live.p90Ms}, max ${r.live.maxMs})`,
      met: r.live.medianMs <= 100,
    });
  const rss200 = r.rss.find((x) => x.hosts === 200);
  if (rss200)
    out.push({
      name: 'vsa peak RSS at 200 hosts',
      goal: '< 200 MB',
      measured: `${rss200.maxRssMb} MB`,
      met: rss200.maxRssMb < 200,
    });
  return out;
}

/** ansible wall time / vsa median wall time, when Ansible ran. */
export function speedup(s: SizeResult, run: 'First' | 'Second'): number | undefined {
  const a = s[`ansible${run}`];
  return a ? a.wallS / medianRun(s[`vsa${run}`]).wallS : undefined;
}

/** vsa median wall time / the floor's median wall time, when the floor ran. */
export function overFloor(s: SizeResult, run: 'First' | 'Second'): number | undefined {
  const floor = s[`floor${run}`];
  return floor?.length ? medianRun(s[`vsa${run}`]).wallS / medianRun(floor).wallS : undefined;
}
