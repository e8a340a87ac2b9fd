import { afterAll, describe, expect, it } from 'vitest';
import { CappedText, DEFAULT_CAP } from '../../../runner/connection/capped-text.js';
import { FramedStream } from '../../../runner/connection/framed-stream.js';
import { LocalConnection } from '../../../runner/connection/local.js';
import { script } from '../../../runner/shell/command.js';

const MARK = '\n__VSA_0123456789abcdef';

describe('a stream cut into frames at an end marker', () => {
  it('finds the marker wherever the chunks split it, and keeps what follows for the next frame', () => {
    const text = `out 1${MARK} 0\nsecond${MARK} 7\nrest`;
    for (let size = 1; size <= text.length; size++) {
      const s = new FramedStream(MARK);
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
      expect(s.take(), `chunks of ${size}`).toEqual({ text: 'out 1', tag: ' 0' });
      expect(s.take()).toEqual({ text: 'second', tag: ' 7' });
      expect(s.ready).toBe(false);
    }
  });

  it('keeps the head and the tail of a long frame with the number of bytes cut between them', () => {
    const s = new FramedStream(MARK, { headChars: 10, tailChars: 5 });
    for (let i = 0; i < 100; i++) s.push(i === 50 ? 'é' : '0123456789');
    s.push(`the-end${MARK} 0\n`);
    // 98 chunks of ten, é (two bytes) and `th` go: 983 characters, 984 bytes.
    expect(s.take()!.text).toBe('0123456789\n[vsa: 984 bytes of output cut]\ne-end');
  });

  it('keeps everything when it fits', () => {
    const t = new CappedText({ headChars: 4, tailChars: 4 });
    ['ab', 'cd', 'ef', 'gh'].forEach((c) => t.append(c));
    expect(t.text()).toBe('abcdefgh');
  });
});

describe('100 MB of command output on a local sh', () => {
  const conn = new LocalConnection('localhost');
  afterAll(() => conn.close());

  it('is stored capped with a marker and its tail intact, in bounded memory', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let r;
    try {
      r = await conn.exec(script("head -c 100000000 /dev/zero | tr '\\0' x; printf 'the end\\n'; echo done >&2"));
    } finally {
      clearInterval(sample);
    }
    const total = 100_000_000 + 'the end\n'.length;
    const kept = DEFAULT_CAP.headChars + DEFAULT_CAP.tailChars;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('done\n');
    const marker = `\n[vsa: ${total - kept} bytes of output cut]\n`;
    expect(r.stdout.length).toBe(kept + marker.length);
    expect(r.stdout.slice(DEFAULT_CAP.headChars, DEFAULT_CAP.headChars + marker.length)).toBe(marker);
    expect(r.stdout.endsWith('xxxxthe end\n')).toBe(true);
    expect(/^x+$/.test(r.stdout.slice(0, DEFAULT_CAP.headChars))).toBe(true);
    // Buffered whole and searched on every chunk, this took 2 GB. Capped, ~10 MB is kept; the rest
    // is the 100 MB passing through as chunks, garbage the GC collects in its own time.
    expect(peak - before).toBeLessThan(400 * 1024 * 1024);
    // The session is still in step: the next command gets its own output.
    expect((await conn.exec(script('echo next'))).stdout).toBe('next\n');
  }, 120_000);
});
