import type { Logger } from './logger';
import { throttleLogger } from './throttled-logger';

describe('throttleLogger', () => {
  it('writes a bounded number of lines per message and window, then says how many it dropped', () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const sink: Logger = {
      debug: (f, m) => lines.push(['debug', f, m]),
      info: (f, m) => lines.push(['info', f, m]),
      warn: (f, m) => lines.push(['warn', f, m]),
      error: (f, m) => lines.push(['error', f, m]),
    };
    let now = 0;
    const log = throttleLogger(sink, { linesPerWindow: 2, windowMs: 1000, clock: { now: () => now } });
    for (let i = 0; i < 1000; i++) log.warn({ i }, 'flood');
    log.warn({}, 'other');
    expect(lines.map(([, f, m]) => `${m}:${String(f['i'])}`)).toEqual(['flood:0', 'flood:1', 'other:undefined']);
    now = 1000;
    log.warn({ i: 'next' }, 'flood');
    expect(lines[3]).toEqual(['warn', { i: 'next', suppressed: 998 }, 'flood']);
  });
});
