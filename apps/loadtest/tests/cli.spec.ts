import type { GatewayProcess } from '@gamebuddies/test-services';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliUsageError, parseCliArgs, parseDuration } from '../src/cli-args';
import { main } from '../src/cli';
import type { RunResult } from '../src/types';
import { startLoadTarget, stopGateway } from './gateway';

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('the command line', () => {
  it('turns flags into load options, with defaults for the rest', () => {
    const command = parseCliArgs(['--url', 'http://localhost:4000', '--steps', '1000,2000,4000', '--room-size=8', '--game', 'school-quiz', '--think-ms', '500', '--ramp', '250', '--hold', '30s', '--warmup', '500ms', '--transport', 'socket.io-client', '--metrics-url', 'http://127.0.0.1:9000/metrics', '--json', 'out/run.json', '--markdown', 'out/run.md', '--svg', 'out/run.svg', '--quiet']);
    expect(command).toEqual({
      kind: 'run',
      isQuiet: true,
      outputs: { json: 'out/run.json', markdown: 'out/run.md', svg: 'out/run.svg' },
      options: {
        url: 'http://localhost:4000',
        steps: [1000, 2000, 4000],
        roomSize: 8,
        game: 'school-quiz',
        thinkMs: 500,
        rampPerSecond: 250,
        holdMs: 30_000,
        warmupMs: 500,
        transport: 'socket.io-client',
        scrapeMetrics: true,
        metricsUrl: 'http://127.0.0.1:9000/metrics',
        allowRemote: false,
        progress: false,
      },
    });
    expect(parseCliArgs([], true)).toMatchObject({
      kind: 'run',
      options: { url: 'http://127.0.0.1:3000', steps: [100], roomSize: 10, game: 'party-bench', thinkMs: 2000, rampPerSecond: 500, holdMs: 20_000, warmupMs: 3000, transport: 'light', progress: true },
    });
    expect(parseCliArgs(['--players', '50', '--no-metrics'])).toMatchObject({ options: { steps: [50], scrapeMetrics: false } });
    expect(parseCliArgs(['--players', '5', '--help'])).toEqual({ kind: 'help' });
  });

  it('reads durations with units, and bare numbers as milliseconds', () => {
    expect([parseDuration('20s', 'hold'), parseDuration('500ms', 'hold'), parseDuration('2m', 'hold'), parseDuration('1500', 'hold'), parseDuration('0.5s', 'hold')]).toEqual([20_000, 500, 120_000, 1500, 500]);
    expect(usageError(['--hold', 'soon'])).toMatch(/--hold: expected a duration/);
  });

  it('refuses a target off this machine unless --allow-remote', () => {
    expect(usageError(['--url', 'http://10.1.2.3:3000'])).toMatch(/10\.1\.2\.3 is not this machine.*--allow-remote/);
    expect(usageError(['--url', 'http://gamebuddies.example.org'])).toMatch(/not this machine/);
    expect(usageError(['--metrics-url', 'http://192.168.1.5/metrics'])).toMatch(/metricsUrl/);
    expect(parseCliArgs(['--url', 'http://10.1.2.3:3000', '--allow-remote'])).toMatchObject({ options: { url: 'http://10.1.2.3:3000', allowRemote: true } });
    expect(parseCliArgs(['--url', 'http://[::1]:3000'])).toMatchObject({ kind: 'run' });
  });

  it('explains bad flags', () => {
    expect(usageError(['--player', '5'])).toBe('unknown flag --player (see --help)');
    expect(usageError(['--players'])).toBe('--players needs a value');
    expect(usageError(['--players', 'many'])).toMatch(/--players: expected a whole number/);
    expect(usageError(['--players', '5', '--steps', '5,10'])).toBe('give --players or --steps, not both');
    expect(usageError(['--steps', '100,50'])).toMatch(/each step must add players/);
    expect(usageError(['--game', 'chess'])).toMatch(/--game: unknown game "chess"/);
    expect(usageError(['--transport', 'polling'])).toMatch(/--transport: one of light, socket.io-client/);
    expect(usageError(['--game', 'crazy-eights'])).toMatch(/roomSize: crazy-eights takes 2–6 players \(got 10\)/);
    expect(usageError(['--quiet=yes'])).toBe('--quiet takes no value');
    expect(usageError(['players'])).toMatch(/unexpected argument/);
  });

  it('exits with code 2 on bad flags, before connecting anywhere', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(main(['--url', 'http://203.0.113.9:3000'])).resolves.toBe(2);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/not this machine/);
    } finally {
      write.mockRestore();
    }
  });

  describe('against a real gateway', () => {
    let gateway: GatewayProcess | undefined;
    let dir = '';

    beforeAll(async () => {
      gateway = await startLoadTarget();
      dir = mkdtempSync(join(tmpdir(), 'loadtest-cli-'));
    });

    afterAll(async () => {
      await stopGateway(gateway);
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes the RunResult as JSON, the step table as markdown and the chart as SVG', async () => {
      const files = { json: join(dir, 'run.json'), markdown: join(dir, 'run.md'), svg: join(dir, 'run.svg') };
      const argv = ['--url', gateway!.url, '--players', '6', '--room-size', '3', '--think-ms', '50', '--hold', '1s', '--warmup', '200ms', '--quiet'];
      await expect(main([...argv, '--json', files.json, '--markdown', files.markdown, '--svg', files.svg])).resolves.toBe(0);
      const result = JSON.parse(readFileSync(files.json, 'utf8')) as RunResult;
      expect(Object.keys(result).sort()).toEqual(['options', 'startedAt', 'steps']);
      expect(result.options).toMatchObject({ url: gateway!.url, steps: [6], roomSize: 3, holdMs: 1000, warmupMs: 200, progress: false });
      expect(result.steps[0]).toMatchObject({ players: 6, connected: 6, errors: {} });
      expect(result.steps[0]!.ack.count).toBeGreaterThan(0);
      expect(readFileSync(files.markdown, 'utf8')).toContain('|');
      expect(readFileSync(files.svg, 'utf8')).toContain('<svg');
    });
  });
});
