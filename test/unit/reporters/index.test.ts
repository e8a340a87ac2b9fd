import { describe, expect, it } from 'vitest';
import { chooseReporterKind, createReporter, useColor } from '../../../runner/reporters/index.js';
import { bufferStream, failedRun, play } from './script.js';

describe('chooseReporterKind', () => {
  it.each([
    [{ json: true, isTTY: true, env: {} }, 'json'],
    [{ json: true, isTTY: false, env: { CI: 'true' } }, 'json'],
    [{ json: false, isTTY: true, env: {} }, 'tty'],
    [{ json: false, isTTY: false, env: {} }, 'plain'],
    [{ json: false, isTTY: true, env: { CI: 'true' } }, 'plain'],
    [{ json: false, isTTY: true, env: { CI: '1' } }, 'plain'],
    [{ json: false, isTTY: true, env: { CI: 'false' } }, 'tty'],
    [{ json: false, isTTY: true, env: { CI: '' } }, 'tty'],
  ] as const)('%j → %s', (opts, kind) => {
    expect(chooseReporterKind(opts)).toBe(kind);
  });
});

describe('useColor', () => {
  it('colors a terminal unless NO_COLOR (any value, even empty) or --no-color', () => {
    expect(useColor({ color: true, isTTY: true, env: {} })).toBe(true);
    expect(useColor({ color: true, isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(useColor({ color: true, isTTY: true, env: { NO_COLOR: '' } })).toBe(false);
    expect(useColor({ color: false, isTTY: true, env: {} })).toBe(false);
    expect(useColor({ color: true, isTTY: false, env: {} })).toBe(false);
  });

  it('drives the reporters: NO_COLOR leaves no escape codes in the output', async () => {
    for (const env of [{}, { NO_COLOR: 'yes' }]) {
      const buf = bufferStream();
      const color = useColor({ color: true, isTTY: true, env });
      await play(await createReporter('plain', { out: buf.stream, color, diff: true, verbose: false }), failedRun);
      expect(buf.text().includes('\u001b[')).toBe(!('NO_COLOR' in env));
    }
  });
});

describe('createReporter', () => {
  it('builds the sink of each kind', async () => {
    const first = async (kind: 'plain' | 'json' | 'tty') => {
      const buf = bufferStream();
      await play(
        await createReporter(kind, { out: buf.stream, color: false, diff: false, verbose: false }),
        failedRun,
      );
      return buf.text().split('\n')[0];
    };
    expect(await first('plain')).toBe('PLAY provision-site on 2 hosts, run r-1');
    expect(JSON.parse((await first('json')) as string).type).toBe('run:start');
    expect(await first('tty')).toBe('PLAY provision-site on 2 hosts, run r-1');
  });
});
