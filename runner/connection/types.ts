import type { Command } from '../shell/command.js';
import type { InventoryHost } from '../inventory/types.js';

export interface ExecOptions {
  /** Run as root through `sudo -n`. */
  become?: boolean;
  /** Fails the command (and resets the channel) when it runs longer. */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PutOptions {
  mode?: string;
  become?: boolean;
}

/**
 * The transport: a handful of methods every connection (ssh2, local, fake) implements.
 * `exec` is one round trip.
 */
export interface Connection {
  readonly host: string;
  exec(cmd: Command, opts?: ExecOptions): Promise<ExecResult>;
  put(remotePath: string, content: Buffer | string, opts?: PutOptions): Promise<void>;
  get(remotePath: string): Promise<Buffer>;
  /** Kills the commands running now (they fail with CancelledError); the connection stays usable. */
  cancel?(): Promise<void>;
  close(): Promise<void>;
}

/** Opens one connection to a host for the whole run; throws UnreachableError when it cannot. */
export type Connector = (host: InventoryHost, signal?: AbortSignal) => Promise<Connection>;
