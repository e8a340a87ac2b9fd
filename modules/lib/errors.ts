import { VsaError } from '../../runner/errors.js';

/** A module's read step could not learn the host's state (permission denied, unreadable file, …). */
export class ProbeError extends VsaError {
  constructor(
    readonly what: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`cannot read ${what} (exit ${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`, 2);
  }
}
