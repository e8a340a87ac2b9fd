import { parseArgs } from 'node:util';
import { labLayout } from './layout.js';
import { curlResolveArgs, pointDomain } from './plugins/dns.js';
import { readState } from './state.js';

/** `npm run lab:dns -- DOMAIN HOST [--slot S]`: points a test domain at a lab host (name or address). */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { slot: { type: 'string', default: '0' } },
  });
  const [domain, target] = positionals;
  if (!domain || !target || positionals.length > 2)
    throw new Error('usage: lab:dns -- DOMAIN HOST [--slot S]');
  const layout = labLayout(Number(values.slot));
  const state = await readState(layout.dir);
  if (!state) throw new Error(`no lab in slot ${layout.slot}: run npm run lab:up first`);
  const host = state.hosts.find((h) => h.name === target || h.address === target);
  if (!host) throw new Error(`no lab host ${target} (have ${state.hosts.map((h) => h.name).join(', ')})`);
  await pointDomain(layout, domain, host.address, state.plugins.includes('pebble'));
  console.log(
    `${domain} -> ${host.name} (${host.address}); curl ${(await curlResolveArgs(layout.dir, domain)).join(' ')} …`,
  );
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
