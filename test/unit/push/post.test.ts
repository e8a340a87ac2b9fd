import { describe, expect, it } from 'vitest';
import { postEvents } from '../../../runner/push/post.js';

const target = { url: 'http://dashboard.test', token: 'vsa_x' };
const answer = (status: number, body: string) => (async () => new Response(body, { status, statusText: 'Forbidden' })) as unknown as typeof fetch;

describe('posting a batch', () => {
  it("says why the dashboard refused it, in the dashboard's words", async () => {
    const refused = postEvents(target, [], new AbortController().signal, answer(403, JSON.stringify({ error: 'token "ci" may report only on stage-*; this batch names web1: nothing was stored' })));
    await expect(refused).rejects.toThrow('dashboard answered 403 Forbidden: token "ci" may report only on stage-*; this batch names web1: nothing was stored');
  });

  it('names only the status when the body is not the API error shape', async () => {
    await expect(postEvents(target, [], new AbortController().signal, answer(502, '<html>bad gateway</html>'))).rejects.toThrow(/^dashboard answered 502 Forbidden$/);
  });
});
