import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchRequest } from '../../../dashboard/server/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a run started from the dashboard cannot choose what the control machine executes', () => {
  it('refuses install-renew-cron params naming the binaries its cron entry runs', async () => {
    const launched: LaunchRequest[] = [];
    h = await startHarness({ launcher: { launch: async (r) => (launched.push(r), { runId: 'new-run' }) } });
    const { cookie, csrf } = await h.login();
    // Every minute, cron would run `/bin/cp /root/.ssh/id_ed25519 cert renew -i /srv/public/`.
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: {
        playbook: 'install-renew-cron',
        params: { node: '/bin/cp', vsa: '/root/.ssh/id_ed25519', inventory: '/srv/public/', home: '/tmp', hour: '*', minute: '*' },
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(launched).toEqual([]);
  });
});

describe('a bearer header that is not a valid token is refused, even with a session', () => {
  it.each(['Bearer ', 'Bearer', 'Token vsa_unknown'])('%j', async (authorization) => {
    h = await startHarness();
    const { cookie } = await h.login();
    const res = await h.app.inject({ url: '/api/runs', headers: { cookie, authorization } });
    expect(res.statusCode).toBe(401);
  });
});
