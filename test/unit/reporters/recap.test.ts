import { describe, expect, it } from 'vitest';
import type { RunEndEvent } from '../../../runner/events/types.js';
import { palette } from '../../../runner/reporters/colors.js';
import { formatDuration } from '../../../runner/reporters/format.js';
import { formatRecap, formatRunEnd } from '../../../runner/reporters/recap.js';

const plain = palette(false);
const end = (over: Partial<RunEndEvent>): RunEndEvent => ({
  runId: 'r-9',
  reason: 'completed',
  exitCode: 0,
  recap: {},
  durationMs: 850,
  endedAt: '2026-01-02T03:04:05.000Z',
  ...over,
});

describe('recap', () => {
  it('aligns the columns to the longest host name and the widest count', () => {
    const zero = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };
    expect(
      formatRecap({ a: { ...zero, ok: 12345 }, 'web-frontend-01': { ...zero, changed: 3 } }, plain),
    ).toEqual([
      'PLAY RECAP',
      'host                ok  changed  failed  skipped  unreachable  ignored',
      'a                12345        0       0        0            0        0',
      'web-frontend-01      0        3       0        0            0        0',
    ]);
  });

  it.each([
    [end({}), 'run r-9 completed in 850 ms (exit 0)'],
    [
      end({ reason: 'failed', exitCode: 2, durationMs: 1500 }),
      'run r-9 failed after 1.5 s: a task failed (exit 2)',
    ],
    [
      end({ reason: 'unreachable', exitCode: 4 }),
      'run r-9 failed after 850 ms: a host was unreachable (exit 4)',
    ],
    [
      end({ reason: 'interrupted', exitCode: 130, durationMs: 3_600_000 }),
      'run r-9 interrupted after 60m 00s: no new tasks were started (exit 130)',
    ],
    [
      end({ reason: 'error', exitCode: 1, error: 'store is locked' }),
      'run r-9 stopped after 850 ms: store is locked (exit 1)',
    ],
  ])('final line %#', (e, line) => {
    expect(formatRunEnd(e, plain)).toBe(line);
  });

  it('formats durations for people', () => {
    expect([0, 999.4, 999.6, 59_949, 59_960, 61_000, 125_400].map(formatDuration)).toEqual([
      '0 ms',
      '999 ms',
      '1.0 s',
      '59.9 s',
      '1m 00s',
      '1m 01s',
      '2m 05s',
    ]);
  });
});
