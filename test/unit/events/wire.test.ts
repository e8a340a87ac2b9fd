import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestBody } from '../../../dashboard/server/ingest/event-schema.js';
import { emptyStats, hostStatsSchema, wireEventSchema } from '../../../runner/events/schema.js';
import { eventNames, toWireEvent, wireLine } from '../../../runner/events/wire.js';
import { createReporter } from '../../../runner/reporters/index.js';
import { parseStatus } from '../../../site/status.js';
import { hostStatusSchema } from '../../../runner/store/host-status.js';
import { bufferStream, failedRun, interruptedRun, play } from '../reporters/script.js';

const now = () => '2026-01-02T03:04:07.000Z';

describe('the wire schema', () => {
  it('takes every line the json reporter writes, field for field', async () => {
    const buf = bufferStream();
    await play(await createReporter('json', { out: buf.stream, color: false, diff: true, verbose: false }), [
      ...failedRun,
      ...interruptedRun,
    ]);
    for (const line of buf.text().trim().split('\n')) {
      const event = JSON.parse(line) as unknown;
      expect(wireEventSchema.parse(event)).toEqual(event);
    }
  });

  it('is what the dashboard checks pushed events against', () => {
    expect(ingestBody.shape.events.element).toBe(wireEventSchema);
  });

  it('names the events in the order a run emits them', () => {
    expect(eventNames).toEqual([
      'run:start',
      'host:start',
      'task:start',
      'task:result',
      'host:end',
      'run:end',
    ]);
    expect(wireEventSchema.options.map((o) => o.shape.type.value)).toEqual(eventNames);
  });

  it('starts a host’s counts at 0 for every counter it has', () => {
    const zero = emptyStats();
    expect(zero).toEqual({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 });
    expect(hostStatsSchema.parse(zero)).toEqual(zero);
  });

  it('rejects an event of another shape, naming the field', () => {
    const [, start] = failedRun[0]!;
    const r = wireEventSchema.safeParse({ type: 'run:start', time: now(), ...start, origin: 'pigeon' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['origin']);
  });
});

describe('toWireEvent', () => {
  const [, start] = failedRun[0]!;
  const end = failedRun.at(-1)![1] as { endedAt: string };
  const result = failedRun.find(([t, e]) => t === 'task:result' && 'diff' in e)!;

  it('puts type and time before the event, timed by the clock', () => {
    const line = wireLine(toWireEvent('run:start', start as never, { now }));
    expect(line).toBe(`${JSON.stringify({ type: 'run:start', time: now(), ...start })}\n`);
  });

  it('with runTimes, times run:start and run:end by the run itself, other events by the clock', () => {
    const opts = { now, runTimes: true };
    expect(toWireEvent('run:start', start as never, opts).time).toBe(
      (start as { startedAt: string }).startedAt,
    );
    expect(toWireEvent('run:end', end as never, opts).time).toBe(end.endedAt);
    expect(toWireEvent('task:result', result[1] as never, opts).time).toBe(now());
  });

  it('drops a task result’s diff only when asked', () => {
    expect(toWireEvent('task:result', result[1] as never, { now })).toHaveProperty('diff');
    expect(toWireEvent('task:result', result[1] as never, { now, diff: false })).not.toHaveProperty('diff');
  });
});

describe('the host status schema', () => {
  it('takes the documented example of collect-status’s data', () => {
    const doc = readFileSync(new URL('../../../docs/runbooks/collect-status.md', import.meta.url), 'utf8');
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!) as unknown;
    expect(hostStatusSchema.parse(example)).toEqual(example);
  });

  it('takes what the status probe’s parser makes of a host, failed parts and all', () => {
    const out = [
      '@@vsa-status containers 127',
      'no container engine',
      '@@vsa-status load 0',
      '0.5 0.4 0.3 1/2 3',
      '',
    ];
    const status = parseStatus(out.join('\n'), 'web01', new Date('2026-11-25T12:00:00Z'));
    expect(hostStatusSchema.parse(status)).toEqual(status);
  });
});
