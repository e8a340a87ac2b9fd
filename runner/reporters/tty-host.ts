import type { HostStats, TaskRef, TaskResultEvent } from '../events/types.js';
import { statusStyle, type Paint } from './colors.js';
import { formatCounts, formatDuration, formatOutput, isFailure, outcome, taskLabel } from './format.js';
import { emptyStats } from '../events/schema.js';

/** The part of a listr2 task the tree drives: its title line and the lines under it. */
export interface HostView {
  title: string;
  output: string;
}

/**
 * One host's entry in the tree. Events can arrive before listr2 has started the host's task, so the
 * row keeps its state and replays it when the view attaches.
 */
export class HostRow {
  readonly finished: Promise<void>;
  private view?: HostView;
  private current?: string;
  private stats?: HostStats;
  private note?: string;
  private readonly tally = emptyStats();
  private readonly pending: string[] = [];
  private resolve!: () => void;

  constructor(
    readonly name: string,
    private readonly paint: Paint,
    private readonly verbose: boolean,
  ) {
    this.finished = new Promise((r) => (this.resolve = r));
  }

  attach(view: HostView): void {
    this.view = view;
    view.title = this.title();
    for (const line of this.pending.splice(0)) view.output = line;
  }

  start(t: TaskRef): void {
    if (this.stats) return;
    this.current = taskLabel(t);
    if (this.view) this.view.title = this.title();
  }

  result(e: TaskResultEvent): void {
    const kind = outcome(e);
    this.tally[kind] += 1;
    if (!isFailure(e) && !this.verbose) return;
    const status = this.paint(statusStyle[kind], kind);
    const message = e.message ? `: ${e.message}` : '';
    this.say(`${status} ${taskLabel(e)} (${formatDuration(e.durationMs)})${message}`);
    // listr2 trims each output line, so the stream names, not indentation, mark the output.
    if (this.verbose) formatOutput(e, '').forEach((line) => this.say(line));
  }

  /** Ends the row with its final counts; `note` says why it ended without its own `host:end`. */
  end(stats: HostStats | undefined, note?: string): void {
    if (this.stats) return;
    this.stats = stats ?? this.tally;
    this.note = note;
    this.resolve();
  }

  get failed(): boolean {
    const s = this.stats ?? this.tally;
    return s.failed > 0 || s.unreachable > 0;
  }

  title(): string {
    const name = this.paint('bold', this.name);
    if (this.stats) {
      const note = this.note ? ` ${this.paint('dim', `(${this.note})`)}` : '';
      return `${name}  ${formatCounts(this.stats, this.paint)}${note}`;
    }
    return this.current ? `${name}  ${this.paint('dim', this.current)}` : name;
  }

  private say(line: string): void {
    if (this.view) this.view.output = line;
    else this.pending.push(line);
  }
}
