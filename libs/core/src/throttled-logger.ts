import { systemClock, type Clock } from './clock';
import type { Logger } from './logger';

/** How {@link throttleLogger} limits a logger. */
export interface LogThrottleOptions {
  /** Lines of one message (per level) written per window; the rest are counted (default 10). */
  linesPerWindow?: number;
  /** The window, in ms (default 60 000). */
  windowMs?: number;
  /** Most distinct messages tracked at once; older ones are forgotten (default 1000). */
  maxMessages?: number;
  clock?: Clock;
}

type Level = keyof Logger;

/**
 * A logger that writes at most `linesPerWindow` lines of each message per window, so that a flood from one
 * client (or a Redis reconnect loop) cannot flood the logs. The first line of a new window carries
 * `suppressed`: how many lines of that message the previous window dropped. Messages are grouped by their
 * text, never by their fields.
 */
export function throttleLogger(logger: Logger, options: LogThrottleOptions = {}): Logger {
  const linesPerWindow = options.linesPerWindow ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const maxMessages = options.maxMessages ?? 1000;
  const clock = options.clock ?? systemClock;
  const windows = new Map<string, { startedAt: number; written: number; suppressed: number }>();

  const write = (level: Level) => (fields: Record<string, unknown>, message: string): void => {
    const key = `${level}\u0000${message}`;
    const now = clock.now();
    let window = windows.get(key);
    let suppressedBefore = 0;
    if (window === undefined || now - window.startedAt >= windowMs) {
      suppressedBefore = window?.suppressed ?? 0;
      if (window === undefined && windows.size >= maxMessages) windows.delete(windows.keys().next().value as string);
      window = { startedAt: now, written: 0, suppressed: 0 };
      windows.set(key, window);
    }
    if (window.written >= linesPerWindow) {
      window.suppressed++;
      return;
    }
    window.written++;
    logger[level](suppressedBefore > 0 ? { ...fields, suppressed: suppressedBefore } : fields, message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
