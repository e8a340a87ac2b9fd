import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReporter } from '../../../runner/reporters/index.js';
import { bufferStream, failedRun, interruptedRun, play, webroot, type Step } from './script.js';

async function render(steps: Step[], diff: boolean, color = false) {
  const buf = bufferStream();
  await play(await createReporter('json', { out: buf.stream, color, diff, verbose: false }), steps);
  return buf.text();
}

const time = '2026-01-02T03:04:05.678Z';

describe('json reporter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(time));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes every event as one JSON line with its type and time, in order', async () => {
    const text = await render(failedRun, true);
    const expected = failedRun.map(([type, e]) => `${JSON.stringify({ type, time, ...e })}\n`).join('');
    expect(text).toBe(expected);
    expect(text.split('\n')).toHaveLength(failedRun.length + 1);
  });

  it('writes the exact line of a task result with its diff in diff mode', async () => {
    const lines = (await render(failedRun, true)).split('\n');
    expect(lines[9]).toBe(
      `{"type":"task:result","time":"${time}","runId":"r-1","host":"web01","task":"Create webroot","taskIndex":1,` +
        `"handler":false,"status":"changed","durationMs":12,"roundTrips":2,"diff":${JSON.stringify(webroot)}}`,
    );
  });

  it('leaves the diff out of task results unless diff mode is on', async () => {
    const events = (await render(failedRun, false))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const changed = events.find((e) => e.type === 'task:result' && e.status === 'changed');
    expect(changed).toEqual({
      type: 'task:result',
      time,
      runId: 'r-1',
      host: 'web01',
      task: 'Create webroot',
      taskIndex: 1,
      handler: false,
      status: 'changed',
      durationMs: 12,
      roundTrips: 2,
    });
    expect(events.some((e) => 'diff' in e && e.type === 'task:result')).toBe(false);
    // The run:start flag is the run's own setting, not a diff: it stays.
    expect(events[0].diff).toBe(true);
  });

  it('ends an interrupted run with its reason and exit code, and never colors', async () => {
    const text = await render(interruptedRun, false, true);
    expect(text).not.toContain('\u001b[');
    const last = JSON.parse(text.trim().split('\n').at(-1) as string);
    expect(last).toMatchObject({ type: 'run:end', reason: 'interrupted', exitCode: 130 });
  });
});
