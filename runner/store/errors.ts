import { UsageError, VsaError } from '../errors.js';

/** The database could not be opened or migrated. */
export class StoreError extends VsaError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, 1, options);
  }
}

/** No stored run matches the id (or prefix) given, or several do. */
export class RunNotFoundError extends UsageError {
  constructor(
    readonly ref: string,
    readonly candidates: string[] = [],
  ) {
    super(
      candidates.length > 1
        ? `run id prefix "${ref}" is ambiguous: ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', …' : ''}`
        : `no run with id "${ref}" (see \`vsa history\`)`,
    );
  }
}
