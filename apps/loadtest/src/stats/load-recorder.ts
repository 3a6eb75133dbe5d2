import { LatencyHistogram } from './latency';

/**
 * Where every bot of a run records what it measured. Latencies go into HdrHistograms; connect times and errors
 * are kept per step (ramp included), action latencies and counts only inside the step's measured window.
 */
export class LoadRecorder {
  /** Socket opened to `session:open` acknowledged, for bots that connected during the current step. */
  readonly connect = new LatencyHistogram();
  /** `game:act` sent to its acknowledgement, inside the window. */
  readonly ack = new LatencyHistogram();
  /** `game:act` sent to the first view push at or past the acknowledged version, inside the window. */
  readonly ownView = new LatencyHistogram();
  /** Acknowledgements in the last progress second (for the progress line's p95). */
  readonly recentAck = new LatencyHistogram();
  /** Whether the measured window is open. */
  isMeasuring = false;
  /** `game:act` acknowledgements inside the window. */
  windowActions = 0;
  /** `game:act` acknowledgements since the last progress tick. */
  recentActions = 0;
  /** Errors by code since the step started. */
  errors: Record<string, number> = {};
  /** Errors in the whole run (for the progress line). */
  totalErrors = 0;
  /** Connections that closed without the bot asking, since the step started. */
  drops = 0;
  /** Bots connected now. */
  connected = 0;

  /** A new step: forgets connect times, errors and drops. */
  startStep(): void {
    this.connect.reset();
    this.errors = {};
    this.drops = 0;
  }

  /** Opens the measured window: forgets action latencies and counts. */
  startWindow(): void {
    this.ack.reset();
    this.ownView.reset();
    this.windowActions = 0;
    this.isMeasuring = true;
  }

  /** Closes the measured window. */
  endWindow(): void {
    this.isMeasuring = false;
  }

  /** Records a `session:open` acknowledged `ms` after the connection began. */
  recordConnect(ms: number): void {
    this.connect.record(ms);
  }

  /** Records an action acknowledged after `ms`. */
  recordAck(ms: number): void {
    this.recentActions++;
    this.recentAck.record(ms);
    if (!this.isMeasuring) return;
    this.windowActions++;
    this.ack.record(ms);
  }

  /** Records an action whose own view arrived `ms` after it was sent. */
  recordOwnView(ms: number): void {
    if (this.isMeasuring) this.ownView.record(ms);
  }

  /** Counts an error by its stable code. */
  recordError(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.totalErrors++;
  }

  /** Counts a connection the server (or the network) closed. */
  recordDrop(): void {
    this.drops++;
    this.recordError('disconnect');
  }
}
