import type { Sink } from '../runner/events/types.js';
import type { PlaybookDef } from '../runner/playbook/types.js';

export interface Recording {
  sinks: Sink[];
  redact: <T>(value: T) => T;
  close(): void;
}

/**
 * Where a run is recorded: the SQLite store and `audit.jsonl` under the data dir, with secrets
 * (params the playbook marks secret, secret env vars, credentials in text) redacted first; and the
 * dashboard, when `VSA_DASHBOARD_URL` and `VSA_DASHBOARD_TOKEN` are set.
 */
/**
 * `secrets`: values found secret while loading (decrypted vault values), hidden like secret params.
 * `onCancel`: someone asked the store to cancel this run.
 */
export async function openRecording(
  playbook: PlaybookDef,
  params: Record<string, unknown>,
  secrets: string[] = [],
  onCancel?: (by: string) => void,
): Promise<Recording> {
  const [{ createRedactor, secretParamValues }, { dataDir, openStore, openAuditLog, createStoreSink }, push] =
    await Promise.all([
      import('../runner/redact/index.js'),
      import('../runner/store/index.js'),
      import('../runner/push/index.js'),
    ]);
  const redact = createRedactor({ secretValues: [...secretParamValues(playbook.params, params), ...secrets] });
  const dir = dataDir();
  const store = openStore(dir);
  const jsonl = openAuditLog(dir);
  const target = push.pushTarget();
  return {
    sinks: [
      createStoreSink(store, { jsonl, onCancel }),
      ...(target ? [push.createPushSink({ target, outbox: store.outbox })] : []),
    ],
    redact,
    close() {
      jsonl.close();
      store.close();
    },
  };
}
