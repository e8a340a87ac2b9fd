/** The streams a command task recorded in its data (`{ rc, stdout, stderr }`), when it has them. */
export interface TaskOutput {
  stdout: string;
  stderr: string;
}

export const outputStreams = ['stdout', 'stderr'] as const;
export type OutputStream = (typeof outputStreams)[number];

/** Undefined for a result that ran no command, or whose command printed nothing. */
export function taskOutput(data: Record<string, unknown> | null | undefined): TaskOutput | undefined {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const out = { stdout: text(data?.stdout), stderr: text(data?.stderr) };
  return out.stdout || out.stderr ? out : undefined;
}
