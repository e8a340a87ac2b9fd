export interface ReporterOptions {
  out: NodeJS.WritableStream;
  /** Where stray stderr output goes while the tty tree owns the terminal; defaults to `out`. */
  err?: NodeJS.WritableStream;
  color: boolean;
  /** Print (or, for JSON, include) each task's unified diff. */
  diff: boolean;
  /** Show every task's message and round trips, not only failures'. */
  verbose: boolean;
}

export type ReporterKind = 'tty' | 'plain' | 'json';
