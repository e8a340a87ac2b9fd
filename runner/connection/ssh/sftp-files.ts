import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Client, SFTPWrapper } from 'ssh2';
import { VsaError } from '../../errors.js';
import type { Limiter } from '../../util/limiter.js';
import { answerWithin } from './answer-within.js';

/** An SFTP upload or download failed. */
export class TransferError extends VsaError {
  constructor(
    readonly host: string,
    readonly path: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${host}: ${what} ${path}: ${(options?.cause as Error | undefined)?.message ?? 'failed'}`,
      2,
      options,
    );
  }
}

/** One SFTP channel per connection, opened on first use and reused. */
export class SftpFiles {
  private sftp?: Promise<SFTPWrapper>;

  constructor(
    private readonly host: string,
    private readonly client: Client,
    private readonly channels: Limiter,
    /** How long the server may take to start its SFTP subsystem. */
    private readonly startTimeoutMs: number,
  ) {}

  /** Writes to a temporary file beside `path`, then renames it over `path`, so readers never see half a file. */
  async put(path: string, content: Buffer | string, mode?: number): Promise<void> {
    const sftp = await this.open();
    const tmp = posix.join(
      posix.dirname(path),
      `.${posix.basename(path)}.vsa-${randomBytes(4).toString('hex')}`,
    );
    try {
      await call<void>((cb) => sftp.writeFile(tmp, content, { mode: mode ?? 0o644 }, cb));
      if (mode !== undefined) await call<void>((cb) => sftp.chmod(tmp, mode, cb));
      await call<void>((cb) => sftp.ext_openssh_rename(tmp, path, cb));
    } catch (e) {
      await call<void>((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
      throw new TransferError(this.host, path, 'upload to', { cause: e });
    }
  }

  async get(path: string): Promise<Buffer> {
    const sftp = await this.open();
    return call<Buffer>((cb) => sftp.readFile(path, cb)).catch((e: unknown) => {
      throw new TransferError(this.host, path, 'download of', { cause: e });
    });
  }

  close(): void {
    void this.sftp?.then((s) => s.end()).catch(() => undefined);
  }

  private open(): Promise<SFTPWrapper> {
    this.sftp ??= this.channels.acquire().then((release) =>
      answerWithin(
        this.host,
        'start SFTP',
        this.startTimeoutMs,
        new Promise<SFTPWrapper>((resolve, reject) => {
          this.client.sftp((err, sftp) => {
            if (err) {
              release();
              this.sftp = undefined;
              return reject(new TransferError(this.host, '', 'SFTP', { cause: err }));
            }
            sftp.once('close', () => {
              release();
              this.sftp = undefined;
            });
            resolve(sftp);
          });
        }),
        () => {
          release();
          this.sftp = undefined;
          this.client.end();
        },
      ),
    );
    return this.sftp;
  }
}

function call<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}
