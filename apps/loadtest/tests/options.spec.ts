import { DEFAULT_LOAD_OPTIONS, isLoopbackUrl, LoadOptionsError, validateLoadOptions } from '../src/options';
import { hardCapMs, metricsUrlOf } from '../src/run';
import type { LoadOptions } from '../src/types';

const options: LoadOptions = { ...DEFAULT_LOAD_OPTIONS, steps: [1000, 2000], progress: false };

describe('load options', () => {
  it('knows this machine by 127.0.0.1, ::1 and localhost only', () => {
    expect(['http://127.0.0.1:3000', 'http://[::1]:3000', 'ws://localhost', 'http://localhost:80/x'].map(isLoopbackUrl)).toEqual([true, true, true, true]);
    expect(['http://127.0.0.2:3000', 'http://10.0.0.1', 'http://localhost.example.com', 'not a url'].map(isLoopbackUrl)).toEqual([false, false, false, false]);
  });

  it('names every problem at once', () => {
    const bad = { ...options, url: 'http://10.0.0.1:3000', steps: [0], roomSize: 200, thinkMs: -1, transport: 'carrier-pigeon' } as unknown as LoadOptions;
    expect(() => validateLoadOptions(bad)).toThrow(LoadOptionsError);
    try {
      validateLoadOptions(bad);
    } catch (error) {
      expect((error as LoadOptionsError).problems).toHaveLength(5);
    }
    expect(() => validateLoadOptions({ ...options, url: 'http://10.0.0.1:3000', allowRemote: true })).not.toThrow();
  });

  it('caps a run at its ramps, warm-ups and holds plus a minute', () => {
    // 1000 players at 500/s (2 s) + 3 s + 20 s, then 1000 more (2 s) + 3 s + 20 s, + 60 s.
    expect(hardCapMs(options)).toBe(110_000);
  });

  it('scrapes <url>/metrics over http unless told otherwise', () => {
    expect(metricsUrlOf(options)).toBe('http://127.0.0.1:3000/metrics');
    expect(metricsUrlOf({ ...options, url: 'ws://localhost:4000/' })).toBe('http://localhost:4000/metrics');
    expect(metricsUrlOf({ ...options, metricsUrl: 'http://127.0.0.1:9100/metrics' })).toBe('http://127.0.0.1:9100/metrics');
  });
});
