import { parseArgs } from 'node:util';
import { freshLabUp } from './fresh/fresh-lab.js';
import { labDown, labUp } from './lab.js';
import { MAX_SLOTS } from './layout.js';
import { labPlugins } from './plugins/catalog.js';

/**
 * `npm run lab:up -- --hosts N [--slot S] [--proxy container|host] [--only sshd,nginx,… | --no-containers]`,
 * `npm run lab:up -- --fresh N [--slot S]` (fresh Debian hosts) and
 * `npm run lab:down [-- --slot S | --all]`.
 */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      hosts: { type: 'string', default: '3' },
      slot: { type: 'string', default: '0' },
      all: { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-containers': { type: 'boolean', default: false },
      proxy: { type: 'string' },
      fresh: { type: 'string' },
    },
  });
  const slot = Number(values.slot);
  if (positionals[0] === 'up' && values.fresh !== undefined) {
    const started = Date.now();
    const lab = await freshLabUp({ hosts: Number(values.fresh), slot });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`lab up: ${lab.hosts.length} fresh hosts in ${secs} s; inventory ${lab.inventoryFile}`);
  } else if (positionals[0] === 'up') {
    const started = Date.now();
    const only = values.only?.split(',').map((n) => n.trim());
    const proxy = values.proxy;
    if (proxy !== undefined && proxy !== 'container' && proxy !== 'host')
      throw new Error(`--proxy: container or host, not ${proxy}`);
    const plugins = labPlugins({ only, containers: !values['no-containers'], proxy });
    const lab = await labUp({ hosts: Number(values.hosts), slot, plugins });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`lab up: ${lab.hosts.length} hosts in ${secs} s; inventory ${lab.inventoryFile}`);
  } else if (positionals[0] === 'down') {
    const slots = values.all ? Array.from({ length: MAX_SLOTS }, (_, i) => i) : [slot];
    for (const s of slots) await labDown(s);
    console.log(`lab down: slot${slots.length > 1 ? 's' : ''} ${slots.join(', ')}`);
  } else {
    throw new Error(
      'usage: cli.ts up --hosts N [--slot S] [--proxy container|host] [--only sshd,… | --no-containers] | up --fresh N [--slot S] | down [--slot S | --all]',
    );
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
