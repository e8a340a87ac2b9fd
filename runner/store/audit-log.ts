import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { wireLine } from '../events/wire.js';

export interface AuditLogOptions {
  /** Rotate once the file would grow past this many bytes (default 50 MB). */
  maxBytes?: number;
  /** Rotated files kept as `audit.jsonl.1` (newest) … `audit.jsonl.N` (default 5). */
  keep?: number;
}

/**
 * `audit.jsonl`: one JSON event a line, append-only. Each line is one `write` on an O_APPEND
 * descriptor, so lines from concurrent runs interleave whole; `sync` makes them durable.
 */
export class AuditLog {
  private fd: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly file: string,
    opts: AuditLogOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
    this.keep = opts.keep ?? 5;
    this.fd = this.open();
  }

  append(event: object): void {
    const line = Buffer.from(wireLine(event));
    const size = fstatSync(this.fd).size;
    if (size > 0 && size + line.length > this.maxBytes) this.rotate();
    writeSync(this.fd, line);
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private open(): number {
    const fd = openSync(this.file, 'a+', 0o600);
    // A power cut can leave a half-written last line; start ours on a fresh one so only that
    // line is lost, not also the first of ours glued to it.
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    return fd;
  }

  private rotate(): void {
    const mine = fstatSync(this.fd).ino;
    const onDisk = existsSync(this.file) ? statSync(this.file).ino : undefined;
    fsyncSync(this.fd);
    closeSync(this.fd);
    // Another process rotated first: write to its fresh file rather than rotate that away too.
    if (onDisk === mine) {
      for (let i = this.keep - 1; i >= 1; i--) {
        const from = `${this.file}.${i}`;
        if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
      }
      renameSync(this.file, `${this.file}.1`);
    }
    this.fd = this.open();
  }
}

export function openAuditLog(dir: string, opts?: AuditLogOptions): AuditLog {
  return new AuditLog(join(dir, 'audit.jsonl'), opts);
}
