/** How much of one command's output on one stream is kept: its start and its end. */
export interface OutputCap {
  headChars: number;
  tailChars: number;
}

/**
 * Enough for every probe (a file sent whole for a diff is at most 4 MiB, 5.6 MB in base64) while a
 * command that prints gigabytes costs the control machine a few megabytes.
 */
export const DEFAULT_CAP: OutputCap = { headChars: 8 * 1024 * 1024, tailChars: 1024 * 1024 };

/**
 * Text appended chunk by chunk, of which only the first `headChars` and the last `tailChars`
 * characters are kept; `text()` joins them with a line saying how many bytes were cut.
 */
export class CappedText {
  private readonly head: string[] = [];
  private headLength = 0;
  private tail: string[] = [];
  private tailLength = 0;
  private cutBytes = 0;

  constructor(private readonly cap: OutputCap = DEFAULT_CAP) {}

  append(chunk: string): void {
    let rest = chunk;
    if (this.headLength < this.cap.headChars) {
      const take = rest.slice(0, this.cap.headChars - this.headLength);
      this.head.push(take);
      this.headLength += take.length;
      rest = rest.slice(take.length);
    }
    if (!rest) return;
    this.tail.push(rest);
    this.tailLength += rest.length;
    this.trimTail();
  }

  text(): string {
    const head = this.head.join('');
    const tail = this.tail.join('');
    if (this.cutBytes === 0) return head + tail;
    return `${head}\n[vsa: ${this.cutBytes} bytes of output cut]\n${tail}`;
  }

  /** Drops whole chunks, then part of one, from the front until the tail fits. */
  private trimTail(): void {
    while (this.tailLength > this.cap.tailChars) {
      const first = this.tail[0]!;
      const over = this.tailLength - this.cap.tailChars;
      const dropped = over >= first.length ? first : first.slice(0, over);
      if (dropped === first) this.tail.shift();
      else this.tail[0] = first.slice(over);
      this.tailLength -= dropped.length;
      this.cutBytes += Buffer.byteLength(dropped);
    }
  }
}
