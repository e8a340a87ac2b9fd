import { VsaError } from '../errors.js';

/** What a read handle is to the host's store of findings: a key that names itself in errors. */
export interface ReadKey<T> {
  readonly name: string;
  /** Only types the key: a key of T finds a T. */
  readonly valueType?: T;
}

/** A later task asked for a read that has not run (or failed, or was skipped) on this host. */
export class ReadMissingError extends VsaError {
  constructor(
    readonly host: string,
    readonly read: string,
  ) {
    super(
      `${host}: no value of the read "${read}": its task was skipped, failed or has not run on this host`,
      2,
    );
  }
}

/**
 * What the reads that ran on one host found, for the rest of the run. A value is parsed once,
 * when first asked for, so a probe output that does not parse fails the task that needs it.
 */
export class HostReads {
  private readonly found = new Map<ReadKey<unknown>, () => unknown>();

  constructor(private readonly host: string) {}

  /** The value of `read` on this host from now on: `parse` runs on the first `get`, once. */
  keep<T>(read: ReadKey<T>, parse: () => T): void {
    let parsed: { value: T } | undefined;
    this.found.set(read, () => (parsed ??= { value: parse() }).value);
  }

  /** A value already parsed (a test's host state, say). */
  set<T>(read: ReadKey<T>, value: T): this {
    this.found.set(read, () => value);
    return this;
  }

  get<T>(read: ReadKey<T>): T {
    const value = this.found.get(read);
    if (!value) throw new ReadMissingError(this.host, read.name);
    return value() as T;
  }
}
