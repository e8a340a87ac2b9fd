import { VsaError } from '../errors.js';
import type { AnyEvent } from '../events/types.js';
import type { PushTarget } from './target.js';

/** The dashboard refused or could not take a batch; the events stay queued or in the outbox. */
export class PushError extends VsaError {}

/** POSTs one batch; resolves when the dashboard took it (2xx), rejects otherwise. */
export async function postEvents(
  target: PushTarget,
  events: AnyEvent[],
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const res = await fetchImpl(`${target.url}/api/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    body: JSON.stringify({ events }),
    signal,
  }).catch((err: unknown) => {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout…) is in its cause.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new PushError(`cannot reach the dashboard at ${target.url}: ${why}`, 1, { cause: err });
  });
  // Read the body either way so the connection can be reused; a refusal says why in it.
  const body = await res.text().catch(() => '');
  if (!res.ok) throw new PushError(`dashboard answered ${res.status} ${res.statusText}${refusal(body)}`);
}

/** The dashboard's own account of a refusal (`{"error": "..."}`), kept short for a warning line. */
function refusal(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: unknown }).error;
    return typeof error === 'string' && error ? `: ${error.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}
