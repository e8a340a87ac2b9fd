import { afterEach, beforeEach, vi } from 'vitest';

/** Captures what the CLI writes to stdout and stderr during each test of the calling file. */
export function captureOutput(): { out(): string; err(): string; clear(): void } {
  let out = '';
  let err = '';
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  const clear = () => {
    out = '';
    err = '';
  };
  return { out: () => out, err: () => err, clear };
}
