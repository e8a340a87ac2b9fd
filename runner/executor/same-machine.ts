import type { InventoryHost } from '../inventory/types.js';
import { createLimiter, type Limiter } from '../util/limiter.js';

/**
 * Where a host's commands land. The login user is left out on purpose: two users on one machine
 * still share its files, its services and its lock.
 */
const machineOf = (h: InventoryHost): string =>
  h.connection === 'local' ? 'the control machine' : `${h.address.toLowerCase()}:${h.port}`;

/** The machines that more than one inventory name of `hosts` reaches, with those names. */
export function sharedMachines(hosts: readonly InventoryHost[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const h of hosts) names.set(machineOf(h), [...(names.get(machineOf(h)) ?? []), h.name]);
  return new Map([...names].filter(([, n]) => n.length > 1));
}

/**
 * Runs the hosts of one machine one after another, as Ansible would run every name but without
 * the second finding the machine locked by its own run; other hosts are not held back.
 */
export function oneAtATimePerMachine(hosts: readonly InventoryHost[]) {
  const queues = new Map<string, Limiter>(
    [...sharedMachines(hosts).keys()].map((m) => [m, createLimiter(1)]),
  );
  return <T>(host: InventoryHost, work: () => Promise<T>): Promise<T> =>
    queues.get(machineOf(host))?.run(work) ?? work();
}

/** A warning line per shared machine, for the operator: which names, and what vsa does about it. */
export function sharedMachineWarnings(hosts: readonly InventoryHost[]): string[] {
  return [...sharedMachines(hosts)].map(
    ([machine, names]) =>
      `${names.join(', ')} are one machine (${machine}) under ${names.length} inventory names: they run one after the other`,
  );
}
