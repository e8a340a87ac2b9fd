// `vsa history` over 10,000 stored runs: prints the time of the default listing and of filtered ones.
// Run: npx tsx test/bench/history-bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../runner/store/index.js';
import type { RunFilter } from '../../runner/store/types.js';
import { insertRuns } from '../unit/store/fixtures/bulk.js';

const dir = mkdtempSync(join(tmpdir(), 'vsa-bench-'));
try {
  const store = openStore(dir);
  const t0 = performance.now();
  insertRuns(store, 10_000);
  console.log(`insert 10000 runs: ${(performance.now() - t0).toFixed(0)} ms`);
  const cases: [string, RunFilter][] = [
    ['history', {}],
    ['history --limit 200', { limit: 200 }],
    ['history --playbook renew-certs', { playbook: 'renew-certs' }],
    ['history --host web3', { host: 'web3' }],
    [
      'history --status failed --since 7d',
      { status: 'failed', since: new Date(Date.now() - 7 * 86_400_000).toISOString() },
    ],
  ];
  for (const [name, filter] of cases) {
    store.history.list(filter);
    const runs = 20;
    const t = performance.now();
    for (let i = 0; i < runs; i++) store.history.list(filter);
    console.log(`${name}: ${((performance.now() - t) / runs).toFixed(2)} ms`);
  }
  store.close();
  // What `vsa history` does after startup: open (migrations check, orphan recovery) and list.
  const t1 = performance.now();
  const again = openStore(dir);
  again.history.list({});
  again.close();
  console.log(`open + history: ${(performance.now() - t1).toFixed(2)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
