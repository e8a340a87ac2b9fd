// Cost of one command on an open connection, as `vsa run` sends them: prints median and p90 in ms.
// Run: npx tsx test/bench/round-trip.ts INVENTORY KNOWN_HOSTS [HOST] [COUNT]
import { createConnector } from '../../runner/connection/connect.js';
import { loadInventory } from '../../runner/inventory/load.js';
import { argv } from '../../runner/shell/command.js';
import { fileStateProbe } from '../../modules/lib/file-state.js';
import { percentile } from './stats.js';

export interface RoundTripFigures {
  trueMedianMs: number;
  trueP90Ms: number;
  probeMedianMs: number;
}

/** Times `count` runs of `true` and of a file probe, one after another on one connection. */
export async function measureRoundTrip(
  inventory: string,
  knownHosts: string,
  host?: string,
  count = 200,
): Promise<RoundTripFigures> {
  const inv = await loadInventory(inventory);
  const target = host ? inv.hosts.get(host) : inv.hosts.values().next().value;
  if (!target) throw new Error(`no host ${host ?? ''} in ${inventory}`);
  const conn = await createConnector({ knownHostsFile: knownHosts })(target);
  try {
    const time = async (run: () => Promise<unknown>) => {
      await run();
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await run();
        ms.push(performance.now() - t);
      }
      return ms;
    };
    const trues = await time(() => conn.exec(argv('true')));
    const probe = fileStateProbe('/etc/hostname');
    const probes = await time(() => conn.exec(probe.command));
    return {
      trueMedianMs: percentile(trues, 50),
      trueP90Ms: percentile(trues, 90),
      probeMedianMs: percentile(probes, 50),
    };
  } finally {
    await conn.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [inventory, knownHosts, host, count] = process.argv.slice(2);
  if (!inventory || !knownHosts) throw new Error('usage: round-trip.ts INVENTORY KNOWN_HOSTS [HOST] [COUNT]');
  console.log(await measureRoundTrip(inventory, knownHosts, host, count ? Number(count) : undefined));
}
