import { UsageError } from '../errors.js';
import type { PlaybookDef } from '../playbook/types.js';

/**
 * `anyErrorsFatal` and `maxFailPercentage` for one batch: each host that fails reports it, and
 * once the play's rule says so every host of the batch stops before its next task (told why) and
 * no later batch starts.
 */
export class PlayHalt {
  private readonly stop = new AbortController();
  private readonly failedHosts: string[] = [];
  private why = '';

  constructor(
    private readonly playbook: Pick<PlaybookDef, 'anyErrorsFatal' | 'maxFailPercentage'>,
    private readonly batchSize: number,
  ) {}

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  get reason(): string {
    return this.why;
  }

  hostFailed(host: string): void {
    this.failedHosts.push(host);
    if (this.stop.signal.aborted) return;
    const { anyErrorsFatal, maxFailPercentage } = this.playbook;
    const failed = this.failedHosts.length;
    if (anyErrorsFatal) {
      this.why = `not run: ${host} failed and the play has anyErrorsFatal`;
    } else if (maxFailPercentage !== undefined && (failed * 100) / this.batchSize > maxFailPercentage) {
      this.why = `not run: ${failed} of ${this.batchSize} hosts failed, over the play's maxFailPercentage of ${maxFailPercentage}%`;
    } else {
      return;
    }
    this.stop.abort();
  }
}

/** The play's rule checked before anything runs, as `serial` is. */
export function checkHaltOptions(playbook: Pick<PlaybookDef, 'maxFailPercentage'>): void {
  const p = playbook.maxFailPercentage;
  if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 100)) {
    throw new UsageError(`maxFailPercentage: expected a number from 0 to 100, got ${JSON.stringify(p)}`);
  }
}
