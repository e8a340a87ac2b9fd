import { randomBytes } from 'node:crypto';
import type { Client } from 'ssh2';
import { CommandError, UnreachableError } from '../../errors.js';
import { toShell, type Command } from '../../shell/command.js';
import { quote } from '../../shell/quote.js';
import { needsBecome, runAs, type BecomeSpec } from '../become.js';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../types.js';
import { createLimiter } from '../../util/limiter.js';
import { SftpFiles } from './sftp-files.js';
import { execChannel, ShellPool } from './shell-pool.js';

/**
 * One SSH connection for the whole run. Commands go to long-lived shells on it (a few ms each
 * instead of a new channel's 50–65 ms), files over one SFTP channel; at most `maxSessions`
 * channels are open at once and the rest wait.
 */
export class SshConnection implements Connection {
  private readonly shells: ShellPool;
  private readonly files: SftpFiles;
  private closing = false;
  private ended = false;
  /** Why the connection went away under a running command, for its error message. */
  private lost?: string;

  constructor(
    readonly host: string,
    private readonly client: Client,
    private readonly user: string,
    maxSessions: number,
    /** How long each step after login (a channel, a shell, SFTP) may take to be answered. */
    startTimeoutMs: number,
    private readonly onClose?: () => void,
    private readonly becomeAs: BecomeSpec = { method: 'sudo', user: 'root' },
  ) {
    const channels = createLimiter(maxSessions);
    const oneOff = (command: string) =>
      channels.run(async () => {
        const ch = await execChannel(client, command);
        ch.resume();
        ch.stderr.resume();
        await new Promise((done) => ch.once('close', done));
      });
    // Keep a channel free for SFTP and one-off commands, so shells never take them all.
    this.shells = new ShellPool(host, client, channels, Math.max(1, maxSessions - 2), oneOff, startTimeoutMs);
    this.files = new SftpFiles(host, client, channels, startTimeoutMs);
    // Errors after login end the connection; the shells then fail with UnreachableError.
    client.on('error', (e: Error & { level?: string }) => {
      this.lost ??=
        e.level === 'client-timeout' ? 'the host stopped answering keepalives (network down?)' : e.message;
    });
    client.once('close', () => {
      this.ended = true;
      this.lost ??= 'closed by the host';
      this.shells.close();
    });
  }

  async exec(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    return runAs(this.host, this.becomeAs, this.user, opts.become, (wrap) =>
      this.shells.run(toShell(cmd), { timeoutMs: opts.timeoutMs, wrap }).catch((e: unknown) => {
        throw this.explain(e);
      }),
    );
  }

  async put(remotePath: string, content: Buffer | string, opts: PutOptions = {}): Promise<void> {
    const mode = opts.mode ? parseInt(opts.mode, 8) : undefined;
    if (!opts.become || !needsBecome(this.becomeAs, this.user)) {
      return this.files.put(remotePath, content, mode).catch((e: unknown) => {
        throw this.explain(e);
      });
    }
    // The private upload below is readable by root only: another become_user could not copy it.
    if (this.becomeAs.user !== 'root') {
      throw new CommandError(this.host, `install ${remotePath}`, 1, `uploading a file as become_user ${this.becomeAs.user} is not supported: become root and give the file an owner`);
    }
    // The login user may not write there: upload privately, then move it in place as root.
    const tmp = `/tmp/.vsa-put-${randomBytes(6).toString('hex')}`;
    await this.files.put(tmp, content, 0o600);
    const next = `${remotePath}.vsa-${randomBytes(4).toString('hex')}`;
    const steps = [
      `trap 'rm -f ${quote(tmp)}' EXIT`,
      'set -e',
      `cp ${quote(tmp)} ${quote(next)}`,
      `chmod ${opts.mode ? quote(opts.mode) : '644'} ${quote(next)}`,
      `mv -f ${quote(next)} ${quote(remotePath)}`,
    ];
    const r = await this.exec({ script: steps.join('\n') }, { become: true });
    if (r.code !== 0) throw new CommandError(this.host, `install ${remotePath}`, r.code, r.stderr);
  }

  get(remotePath: string): Promise<Buffer> {
    return this.files.get(remotePath).catch((e: unknown) => {
      throw this.explain(e);
    });
  }

  /** Kills the commands running now; the connection stays open (to release the host's lock). */
  cancel(): Promise<void> {
    return this.shells.cancel();
  }

  /**
   * A command or transfer cut off by the connection going away is `unreachable` and says why the
   * connection went (not just "the remote shell closed").
   */
  private explain(e: unknown): unknown {
    if (this.closing || !this.lost) return e;
    return new UnreachableError(this.host, `connection lost: ${this.lost}`, { cause: e });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.shells.close();
    this.files.close();
    if (!this.ended) {
      await new Promise<void>((done) => {
        this.client.once('close', () => done());
        this.client.end();
        setTimeout(done, 2_000).unref();
      });
    }
    this.onClose?.();
  }
}
