import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createReporter } from '../../../runner/reporters/index.js';
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

async function render(steps: Step[], opts: { color?: boolean; diff?: boolean; verbose?: boolean } = {}) {
  const buf = bufferStream();
  const sink = await createReporter('plain', {
    out: buf.stream,
    color: opts.color ?? false,
    diff: opts.diff ?? false,
    verbose: opts.verbose ?? false,
  });
  await play(sink, steps);
  return buf.text();
}

const failedRunText =
  [
    'PLAY provision-site on 2 hosts, run r-1',
    'ok           web01          Gather facts  (40 ms)',
    'unreachable  db01.internal  Gather facts  (3.0 s): ssh: Connection refused',
    'changed      web01          Create webroot  (12 ms)',
    ...webrootLines,
    'skipped      web01          Install certbot  (0 ms)',
    'ignored      web01          Check disk  (85 ms): df: /srv: No such file or directory',
    'failed       web01          Test nginx config  (1.3 s): nginx -t exited 1',
    '    unknown directive "foo" in shop:3',
  ].join('\n') +
  '\n' +
  failedRunSummary;

describe('plain reporter', () => {
  it('with -v, puts a task\'s stdout and stderr under its result, and only then', async () => {
    expect(await render(commandRun, { verbose: true })).toBe(
      [
        'PLAY deploy on 1 host, run r-3',
        'changed      web01  Migrate  (20 ms, 1 round trip)',
        '    stdout:',
        '      applied 1',
        '      applied 2',
        '    stderr:',
        '      slow query',
        '',
      ].join('\n'),
    );
    expect(await render(commandRun)).not.toContain('applied');
  });

  it('writes a header, one line per result with diffs, the recap and the final line', async () => {
    expect(await render(failedRun, { diff: true })).toBe(failedRunText);
  });

  it('leaves diffs out unless diff mode is on', async () => {
    const text = await render(failedRun);
    expect(text).toBe(failedRunText.replace(/^ {4}[-+@ ].*\n/gm, ''));
    expect(text).not.toContain('root /srv/shop');
  });

  it('ends an interrupted run with its recap and why no task followed', async () => {
    expect(await render(interruptedRun, { verbose: true })).toBe(
      'PLAY renew-certs on 1 host, check mode, run r-2\n' +
        'changed      web01  Reload nginx [handler]  (310 ms, 1 round trip)\n' +
        interruptedRunSummary,
    );
  });

  it('shows every message and the round trips when verbose', async () => {
    const text = await render(failedRun, { verbose: true });
    expect(text).toContain(
      'skipped      web01          Install certbot  (0 ms, 0 round trips): when: false\n',
    );
    expect(text).toContain('changed      web01          Create webroot  (12 ms, 2 round trips)\n');
  });

  it('colors statuses, diffs and recap only when color is on, with the same text', async () => {
    const colored = await render(failedRun, { color: true, diff: true });
    expect(colored).not.toBe(failedRunText);
    expect(stripVTControlCharacters(colored)).toBe(failedRunText);
    expect(colored).toContain('\u001b[31mfailed\u001b[39m       web01');
    expect(colored).toContain('\u001b[33mchanged\u001b[39m      web01');
    expect(colored).toContain('    \u001b[32m+  root /srv/shop;\u001b[39m\n');
    // Padding stays outside the color so the columns line up on screen.
    expect(colored).toContain(
      '\u001b[31mdb01.internal\u001b[39m   0        0       0        0            \u001b[31m1\u001b[39m',
    );
    expect(await render(failedRun, { color: false, diff: true })).not.toContain('\u001b[');
  });

  it('still writes results of a host missing from run:start and a run without run:start', async () => {
    const [, ...rest] = failedRun;
    const text = await render(rest);
    expect(text.split('\n')[0]).toBe('ok           web01  Gather facts  (40 ms)');
    expect(text).toContain('PLAY RECAP');
  });
});
