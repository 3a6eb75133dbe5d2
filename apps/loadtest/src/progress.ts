import type { LoadRecorder } from './stats/load-recorder';

/** Where the progress line goes: a stream with an optional TTY flag (stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Writes one status line a second: players connected of the target, actions per second, p95 of the last
 * second's acknowledgements, errors so far. On a TTY the line is rewritten in place.
 */
export class ProgressLine {
  private timer: NodeJS.Timeout | null = null;
  private target = 0;
  private hasWritten = false;
  private label = '';

  constructor(
    private readonly recorder: LoadRecorder,
    private readonly stream: ProgressStream,
  ) {}

  /** Starts writing, once a second. */
  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** The player count the current step ramps to, and the step's label. */
  setTarget(players: number, label: string): void {
    this.target = players;
    this.label = label;
  }

  /** Stops writing and ends the line. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.hasWritten && this.stream.isTTY === true) this.stream.write('\n');
  }

  private tick(): void {
    const r = this.recorder;
    const p95 = r.recentAck.count === 0 ? '-' : r.recentAck.summary().p95.toFixed(1);
    const line = `${this.label} players ${r.connected}/${this.target} | ${r.recentActions} actions/s | ack p95 ${p95} ms | errors ${r.totalErrors}`;
    r.recentAck.reset();
    r.recentActions = 0;
    this.stream.write(this.stream.isTTY === true ? `\r\x1b[K${line}` : `${line}\n`);
    this.hasWritten = true;
  }
}
