import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, parseEvents, userEnv } from '../e2e/faults-support/vsa.js';
import { useLoggedIn } from './logged-in.js';

const dash = useLoggedIn({ path: '/runs', seed: () => ensureBuilt() });

describe('a run whose process was killed', () => {
  it('shows as interrupted within 30 s of a SIGKILL, without a reload or another run', async () => {
    const { page, base, h } = dash();
    const inventory = join(h.dir, 'local.yml');
    writeFileSync(inventory, 'all:\n  hosts:\n    here:\n      ansible_connection: local\n');
    // Its own process group, so the command it leaves behind can be stopped after the test.
    const child = spawn(
      process.execPath,
      ['bin/vsa.js', 'run', 'test/browser/playbooks/wait.ts', '-e', 'seconds=90', '-i', inventory, '--check', '--json'],
      { env: userEnv(h.dir), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    try {
      let out = '';
      const started = new Promise<string>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const e = parseEvents<{ type: string; runId: string }>(out.slice(0, out.lastIndexOf('\n') + 1));
          if (e.some((x) => x.type === 'task:start')) resolve(e[0]!.runId);
        });
        child.once('exit', (code) => reject(new Error(`vsa exited ${code} before its task started:\n${out}`)));
      });
      const runId = await started;
      await page.goto(`${base}/runs/${runId}`);
      const heading = page.getByRole('heading', { level: 1 });
      await heading.getByText('running').waitFor();
      await heading.getByLabel('live').waitFor();

      const killed = Date.now();
      process.kill(child.pid!, 'SIGKILL');
      await heading.getByText('interrupted').waitFor({ timeout: 30_000 });
      expect(Date.now() - killed).toBeLessThan(30_000);
      await heading.getByLabel('live').waitFor({ state: 'detached' });
      expect(await page.locator('.facts .error').innerText()).toMatch(/^process \d+ stopped without finishing the run \(last heartbeat /);
    } finally {
      // The command the killed run started (`sleep`) is still in its group.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Nothing was left.
      }
    }
  }, 90_000);
});
