import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../runner/events/bus.js';
import { createReporter, type ReporterOptions } from '../../../runner/reporters/index.js';
import {
  bufferStream,
  commandRun,
  failedRun,
  failedRunSummary,
  interruptedRun,
  interruptedRunSummary,
  play,
  webrootLines,
  type Step,
} from './script.js';

const showCursor = '\u001b[?25h';
/** Whether the text holds a color (SGR) sequence, as opposed to the cursor moves of a live tree. */
const hasColor = (text: string) =>
  text
    .split('\u001b[')
    .slice(1)
    .some((rest) => /^\d+(;\d+)*m/.test(rest));

async function reporter(opts: Partial<ReporterOptions> = {}) {
  const buf = bufferStream();
  const sink = await createReporter('tty', { out: buf.stream, color: false, diff: false, verbose: false, ...opts });
  return { buf, sink };
}

/** The tree as left on screen (listr2 writes it once more after its last live frame) and what follows. */
function screen(text: string): { frame: string; after: string } {
  const end = text.lastIndexOf(showCursor);
  const start = text.lastIndexOf('\u001b[G', end) + 3;
  return { frame: text.slice(start, end), after: text.slice(end + showCursor.length) };
}

const failedFrame = [
  '✖ web01  1 ok, 1 changed, 1 failed, 1 skipped, 1 ignored',
  '  › ignored Check disk (85 ms): df: /srv: No such file or directory',
  '  › failed Test nginx config (1.3 s): nginx -t exited 1',
  '    unknown directive "foo" in shop:3',
  '✖ db01.internal  1 unreachable',
  '  › unreachable Gather facts (3.0 s): ssh: Connection refused',
  '',
].join('\n');

const failedAfter = ['', 'web01  Create webroot', ...webrootLines].join('\n') + '\n' + failedRunSummary;

describe('tty reporter', () => {
  it('leaves a tree of hosts with their counts and failures, then the diffs and the recap', async () => {
    const { buf, sink } = await reporter({ diff: true });
    await play(sink, failedRun);
    const text = buf.text();
    expect(text.startsWith('PLAY provision-site on 2 hosts, run r-1\n')).toBe(true);
    expect(screen(text)).toEqual({ frame: failedFrame, after: failedAfter });
    expect(hasColor(text)).toBe(false);
  });

  it('colors titles and recap when color is on, with the same text', async () => {
    const { buf, sink } = await reporter({ diff: true, color: true });
    await play(sink, failedRun);
    const { frame, after } = screen(buf.text());
    expect(frame).toContain(
      '\u001b[1mweb01\u001b[22m  \u001b[32m1 ok\u001b[39m, \u001b[33m1 changed\u001b[39m',
    );
    expect(after).toContain('\u001b[1mPLAY RECAP\u001b[22m');
    expect(hasColor(frame)).toBe(true);
    expect(stripVTControlCharacters(frame)).toBe(failedFrame);
    expect(stripVTControlCharacters(after)).toBe(failedAfter);
  });

  it('shows the task a host is running while it runs', async () => {
    const { buf, sink } = await reporter();
    const bus = new EventBus([sink]);
    const [start, hostStart, , , , , , , taskStart] = failedRun as [Step, Step, ...Step[]];
    for (const [type, e] of [start, hostStart, taskStart] as Step[]) bus.emit(type, e as never);
    await expect.poll(() => buf.text(), { timeout: 2000 }).toContain('web01  Create webroot');
    for (const [type, e] of failedRun.slice(9)) bus.emit(type, e as never);
    await bus.close();
    expect(screen(buf.text()).frame).toContain('✖ web01  1 ok, 1 changed');
  });

  it('with -v, shows a task\'s stdout and stderr under its line', async () => {
    const { buf, sink } = await reporter({ verbose: true });
    await play(sink, commandRun);
    await sink.close?.();
    expect(screen(buf.text()).frame).toBe(
      '✔ web01  1 changed\n  › changed Migrate (20 ms)\n  › stdout:\n  › applied 1\n  › applied 2\n  › stderr:\n  › slow query\n',
    );
  });

  it('ends the hosts of an interrupted run from the recap and says why', async () => {
    const { buf, sink } = await reporter({ verbose: true });
    await play(sink, interruptedRun);
    expect(screen(buf.text())).toEqual({
      frame: '✔ web01  1 changed (interrupted)\n  › changed Reload nginx [handler] (310 ms)\n',
      after: interruptedRunSummary,
    });
  });

  it('ignores events for unknown hosts and finishes the tree on close without run:end', async () => {
    const { buf, sink } = await reporter();
    const stray: Step[] = [
      ['task:start', { runId: 'r-1', host: 'ghost', task: 'Boo', taskIndex: 0, handler: false }],
      failedRun[0] as Step,
      [
        'task:result',
        {
          runId: 'r-1',
          host: 'ghost',
          task: 'Boo',
          taskIndex: 0,
          handler: false,
          status: 'failed',
          durationMs: 1,
          roundTrips: 0,
        },
      ],
      [
        'host:end',
        {
          runId: 'r-1',
          host: 'ghost',
          stats: { ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 0, ignored: 0 },
        },
      ],
      failedRun[5] as Step,
    ];
    await play(sink, stray);
    const { frame, after } = screen(buf.text());
    expect(frame).toBe('✔ web01  1 ok (did not finish)\n✔ db01.internal  no tasks (did not finish)\n');
    expect(after).toBe('');
    expect(buf.text()).not.toContain('ghost');
  });

  it('prints the recap of a run whose run:start it never saw', async () => {
    const { buf, sink } = await reporter();
    await play(sink, [failedRun.at(-1) as Step]);
    expect(buf.text()).toBe(failedRunSummary);
  });
});
