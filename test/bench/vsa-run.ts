import { timed, type Timed } from './timed.js';

export interface RoundTrips {
  /** task name -> round trips on the first host that reported it, with its status. */
  byTask: Record<string, { status: string; roundTrips: number }>;
  /** Largest count seen for any host and task with that status. */
  maxOk: number;
  maxChanged: number;
  meanOk: number;
  meanChanged: number;
}

export interface VsaRun extends Timed {
  exitCode: number;
  /** run:start to run:end as vsa measured it. */
  playS: number;
  changed: number;
  ok: number;
  failed: number;
  roundTrips: RoundTrips;
  /** host -> every round trip of its run (its tasks' and the host lock's), for the floor. */
  tripsByHost: Record<string, number>;
}

/** Taking the host lock and releasing it: one round trip each, outside every task's count. */
const LOCK_TRIPS = 2;

interface Event {
  type: string;
  host?: string;
  task?: string;
  status?: string;
  roundTrips?: number;
  handler?: boolean;
  exitCode?: number;
  durationMs?: number;
  recap?: Record<string, { ok: number; changed: number; failed: number; unreachable: number }>;
}

export interface VsaTarget {
  inventory: string;
  knownHosts: string;
  /** A private store so the bench never writes into a real one. */
  home: string;
}

/** One `vsa run demo --json` on the inventory's hosts. */
export async function runVsa(t: VsaTarget, extra: string[] = []): Promise<VsaRun> {
  const argv = [
    'node',
    'bin/vsa.js',
    'run',
    'demo',
    '-i',
    t.inventory,
    '--known-hosts',
    t.knownHosts,
    '--json',
    ...extra,
  ];
  const r = await timed(argv, { ...process.env, VSA_HOME: t.home, NO_COLOR: '1' });
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Event);
  const end = events.find((e) => e.type === 'run:end');
  if (!end) throw new Error(`vsa run ended without run:end (exit ${r.code}): ${r.stderr.slice(-500)}`);
  const totals = Object.values(end.recap ?? {}).reduce(
    (a, s) => ({
      ok: a.ok + s.ok,
      changed: a.changed + s.changed,
      failed: a.failed + s.failed + s.unreachable,
    }),
    { ok: 0, changed: 0, failed: 0 },
  );
  return {
    ...r,
    exitCode: end.exitCode ?? r.code,
    playS: (end.durationMs ?? 0) / 1000,
    ...totals,
    roundTrips: roundTrips(events),
    tripsByHost: tripsByHost(events),
  };
}

function tripsByHost(events: Event[]): Record<string, number> {
  const byHost: Record<string, number> = {};
  for (const e of events)
    if (e.type === 'task:result' && e.host) byHost[e.host] = (byHost[e.host] ?? LOCK_TRIPS) + (e.roundTrips ?? 0);
  return byHost;
}

function roundTrips(events: Event[]): RoundTrips {
  const results = events.filter((e) => e.type === 'task:result' && e.roundTrips !== undefined);
  const byTask: RoundTrips['byTask'] = {};
  for (const e of results) byTask[e.task!] ??= { status: e.status!, roundTrips: e.roundTrips! };
  const trips = (status: string) => results.filter((e) => e.status === status).map((e) => e.roundTrips!);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    byTask,
    maxOk: Math.max(0, ...trips('ok')),
    maxChanged: Math.max(0, ...trips('changed')),
    meanOk: mean(trips('ok')),
    meanChanged: mean(trips('changed')),
  };
}
