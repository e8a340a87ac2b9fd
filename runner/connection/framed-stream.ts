import { CappedText, type OutputCap } from './capped-text.js';

/** One command's output on a stream, and what followed its end marker on that line (` 0` for an exit code). */
export interface Frame {
  text: string;
  tag: string;
}

/**
 * One stream of a shell session, cut into frames at each `\n<marker><tag>\n`. Each chunk is searched
 * once, with only the marker's length of the previous chunk before it, and a frame's text is kept
 * capped: time and memory stay linear in the output, whatever its size.
 */
export class FramedStream {
  private body: CappedText;
  /** Text not yet known to be output: it may be the start of the marker. */
  private pending = '';
  private readonly frames: Frame[] = [];

  constructor(
    private readonly marker: string,
    private readonly cap?: OutputCap,
  ) {
    this.body = new CappedText(cap);
  }

  push(chunk: string): void {
    let window = this.pending + chunk;
    for (;;) {
      const at = window.indexOf(this.marker);
      if (at < 0) {
        // Keep what could be the marker's first characters; the rest is output.
        const keep = Math.min(window.length, this.marker.length - 1);
        this.body.append(window.slice(0, window.length - keep));
        this.pending = window.slice(window.length - keep);
        return;
      }
      const eol = window.indexOf('\n', at + this.marker.length);
      if (eol < 0) {
        this.body.append(window.slice(0, at));
        this.pending = window.slice(at);
        return;
      }
      this.body.append(window.slice(0, at));
      this.frames.push({ text: this.body.text(), tag: window.slice(at + this.marker.length, eol) });
      this.body = new CappedText(this.cap);
      window = window.slice(eol + 1);
    }
  }

  /** The oldest complete frame, removed from the stream. */
  take(): Frame | undefined {
    return this.frames.shift();
  }

  /** Leaves the first complete frame in place. */
  get ready(): boolean {
    return this.frames.length > 0;
  }
}
