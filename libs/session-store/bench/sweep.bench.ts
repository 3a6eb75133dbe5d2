/**
 * Measures how expired sessions leave the index: 100,000 sessions on a real redis-server expire, then one
 * `sweepExpiredSessions()` (what the store's timer runs) removes their index entries in bounded steps. Reports
 * the sweep's total time, its steps, the longest step as Redis measured it (SLOWLOG), count() before and after,
 * and the same sweep on the memory store. Writes reports/bench/session-store-sweep.md and the table in
 * libs/session-store/README.md. Run: `npx nx run session-store:bench` (BENCH_SESSIONS to change 100,000).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '@gamebuddies/redis-connection';
import { startRedisServer } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { DEFAULT_SWEEP_BATCH_SIZE, MemorySessionBackend, MemorySessionStore, RedisSessionStore, type SessionStore } from '../src';

const workspace = join(__dirname, '..', '..', '..');
const sessions = Number(process.env['BENCH_SESSIONS'] ?? 100_000);
const ttlMs = 30_000;
const concurrency = 500;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Creates `total` sessions with `concurrency` calls in flight; returns the time taken in ms. */
async function createMany(store: SessionStore, total: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await store.create({ displayName: `Player ${i}`, data: { seat: i % 10 }, ttlMs });
      }
    }),
  );
  return performance.now() - started;
}

/** Index entries and their memory, summed over every index key. */
async function indexSize(client: Redis): Promise<{ entries: number; bytes: number }> {
  const keys = '0123456789abcdef'.split('').map((bucket) => `bench:{sessions:${bucket}}:expiry`);
  let entries = 0;
  let bytes = 0;
  for (const key of keys) {
    entries += await client.zcard(key);
    bytes += Number((await client.memory('USAGE', key)) ?? 0);
  }
  return { entries, bytes };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function benchRedis(rows: string[][]): Promise<void> {
  const server = await startRedisServer();
  const client = await connectRedis(server.url, { commandTimeoutMs: 10_000 });
  const store = new RedisSessionStore({ client, keyPrefix: 'bench:', sweepIntervalMs: 0 });
  try {
    const createMs = await createMany(store, sessions);
    say(`created ${fmt(sessions)} sessions in ${fmt(createMs)} ms (${fmt((sessions / createMs) * 1000)} creates/s)`);
    const lastExpiry = Date.now() + ttlMs;
    const [liveCount, liveCountMs] = await timed(() => store.count());
    say(`count() with ${fmt(liveCount)} live: ${fmt(liveCountMs, 2)} ms`);
    await sleep(Math.max(0, lastExpiry - Date.now()) + 500);
    const before = await indexSize(client);
    const [expiredCount, expiredCountMs] = await timed(() => store.count());
    await client.config('SET', 'slowlog-log-slower-than', '0');
    await client.config('SET', 'slowlog-max-len', '100000');
    await client.slowlog('RESET');
    const [removed, sweepMs] = await timed(() => store.sweepExpiredSessions());
    const log = (await client.slowlog('GET', 100_000)) as Array<[number, number, number, string[]]>;
    const steps = log.filter((entry) => String(entry[3][0]).toLowerCase() === 'evalsha').map((entry) => entry[2]).sort((a, b) => a - b);
    await client.config('SET', 'slowlog-log-slower-than', '10000');
    const after = await indexSize(client);
    const [afterCount, afterCountMs] = await timed(() => store.count());
    say(`swept ${fmt(removed)} entries in ${fmt(sweepMs)} ms, ${steps.length} steps, longest step ${fmt(steps.at(-1) ?? 0)} µs`);
    rows.push(
      ['Redis: create 100,000 sessions (500 in flight)', `${fmt(createMs)} ms (${fmt((sessions / createMs) * 1000)}/s)`],
      ['Redis: index after they expired, before a sweep', `${fmt(before.entries)} entries, ${fmt(before.bytes / 1024 / 1024, 1)} MiB`],
      ['Redis: `count()` over the expired index (nothing removed)', `${fmt(expiredCount)} live, ${fmt(expiredCountMs, 2)} ms`],
      [`Redis: one \`sweepExpiredSessions()\` (batch ${fmt(DEFAULT_SWEEP_BATCH_SIZE)})`, `${fmt(removed)} removed in ${fmt(sweepMs)} ms`],
      ['Redis: sweep steps (one script each)', `${steps.length}; median ${fmt(steps[Math.floor(steps.length / 2)] ?? 0)} µs, longest ${fmt(steps.at(-1) ?? 0)} µs (SLOWLOG)`],
      ['Redis: index after the sweep', `${fmt(after.entries)} entries, ${fmt(after.bytes)} bytes; \`count()\` ${fmt(afterCount)} in ${fmt(afterCountMs, 2)} ms`],
      ['Redis: `count()` with 100,000 live sessions', `${fmt(liveCountMs, 2)} ms`],
    );
  } finally {
    await store.close();
    client.disconnect();
    await server.dispose();
  }
}

async function benchMemory(rows: string[][]): Promise<void> {
  let now = Date.now();
  const backend = new MemorySessionBackend({ clock: { now: () => now } });
  const store = new MemorySessionStore({ backend, sweepIntervalMs: 0 });
  await createMany(store, sessions);
  now += ttlMs + 1;
  const [removed, sweepMs] = await timed(() => store.sweepExpiredSessions());
  say(`memory: swept ${fmt(removed)} in ${fmt(sweepMs)} ms`);
  rows.push(['Memory: one `sweepExpiredSessions()` over 100,000 expired', `${fmt(removed)} removed in ${fmt(sweepMs)} ms`]);
  await store.close();
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  await benchRedis(rows);
  await benchMemory(rows);
  const table = ['| measured | result |', '| --- | --- |', ...rows.map(([what, result]) => `| ${what} | ${result} |`)].join('\n');
  const note = `Measured ${new Date().toISOString().slice(0, 10)} on one redis-server ${'(Redis 7, loopback)'} with \`npx nx run session-store:bench\`.`;
  const report = join(workspace, 'reports', 'bench', 'session-store-sweep.md');
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, `# Session store: sweeping ${fmt(sessions)} expired sessions\n\n${table}\n\n${note}\n`);
  const readme = join(workspace, 'libs', 'session-store', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readme} has no ${start} ... ${end} section`);
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${table}\n\n${note}\n${text.slice(to)}`);
  say(`wrote ${report} and the table in ${readme}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
