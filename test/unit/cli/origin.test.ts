import { describe, expect, it } from 'vitest';
import { detectOrigin } from '../../../cli/origin.js';
import { chooseReporterKind } from '../../../runner/reporters/index.js';

describe('where a run comes from', () => {
  it.each([
    [{ VSA_ORIGIN: 'cron', CI: 'true' }, true, 'cron'],
    [{ CI: 'true' }, true, 'ci'],
    [{ CI: '1' }, false, 'ci'],
    [{ CI: 'false' }, true, 'tty'],
    [{ CI: '0' }, false, 'script'],
    [{}, true, 'tty'],
  ])('%j on a terminal: %s → %s', (env, isTTY, origin) => {
    expect(detectOrigin(env, isTTY)).toBe(origin);
  });

  it('agrees with the reporter on what counts as CI', () => {
    for (const CI of ['true', '1', 'TRUE', '0', 'false', '']) {
      const ci = detectOrigin({ CI }, true) === 'ci';
      expect(chooseReporterKind({ json: false, isTTY: true, env: { CI } }) === 'plain').toBe(ci);
    }
  });
});
