import { UsageError } from '../runner/errors.js';

/**
 * Warnings about the run's input (an inventory setting or SSH option vsa does not honour, hosts that
 * share a machine): printed as found; under `--strict` (the default in CI) they stop the run with
 * exit 5 once every one of them has been named, before any connection opens.
 */
export class InputWarnings {
  private readonly seen: string[] = [];

  constructor(
    private readonly strict: boolean,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  warn = (message: string): void => {
    this.seen.push(message);
    this.err.write(`vsa: warning: ${message}\n`);
  };

  /** Throws when strict and anything was warned about. */
  settle(): void {
    if (this.strict && this.seen.length > 0) {
      throw new UsageError(
        `${this.seen.length} warning(s) above and --strict is on (the default when CI is set); fix them or pass --no-strict`,
      );
    }
  }
}
