/**
 * One base class and a few subclasses that carry context, so every message can say what failed
 * where. `exitCode` follows ansible-playbook: 2 task failed, 4 unreachable, 5 bad input.
 */
export class VsaError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad arguments, inventory, params or an unknown playbook: nothing was touched. */
export class UsageError extends VsaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 5, options);
  }
}

export class InventoryError extends UsageError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message);
  }
}

export class ParamsError extends UsageError {}

/** The host could not be reached or the connection broke: the host is `unreachable`. */
export class UnreachableError extends VsaError {
  constructor(
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${message}`, 4, options);
  }
}

export class HostKeyError extends UnreachableError {}

export class TimeoutError extends VsaError {
  constructor(
    readonly host: string,
    readonly ms: number,
    what: string,
  ) {
    super(`${host}: ${what} timed out after ${ms} ms`, 4);
  }
}

/** The operator cancelled the run (a second Ctrl-C) while this command ran; it was killed on the host. */
export class CancelledError extends VsaError {
  constructor(readonly host: string) {
    super(`${host}: cancelled (the running command was killed)`, 130);
  }
}

/** Another run holds the host's lock. */
export class LockHeldError extends VsaError {
  constructor(
    readonly host: string,
    readonly holder: string,
  ) {
    super(`${host}: locked by another run (${holder}); use --wait-lock to wait for it`, 2);
  }
}

/** The host's run lock could not be taken or read (a full disk, a directory of another user, …). */
export class LockError extends VsaError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A command on a host exited non-zero where the caller needed it to succeed. */
export class CommandError extends VsaError {
  constructor(
    readonly host: string,
    readonly command: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`${host}: \`${command}\` exited ${code}${stderr ? `: ${stderr.trim()}` : ''}`, 2);
  }
}

/** Formats any thrown value as one line; the stack only when asked. */
export function describeError(err: unknown, verbose = false): string {
  if (err instanceof Error) return verbose && err.stack ? err.stack : err.message;
  return String(err);
}
