import { connect } from 'node:net';
import { startRedisServer, type RedisServer } from '@gamebuddies/test-services';
import { HealthRegistry, pingCheck } from './index';

/**
 * Sends PING to a real redis-server over a plain TCP socket and resolves with its reply. A tiny RESP client
 * rather than ioredis: this library sits in the core layer and may not depend on @gamebuddies/redis-connection,
 * even in tests. The gateway passes `() => redis.ping()`; the check only sees a function that resolves or not.
 */
function pingOverTcp(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (!reply.endsWith('\r\n')) return;
      socket.destroy();
      if (reply.startsWith('+')) resolve(reply.slice(1, -2));
      else reject(new Error(`unexpected reply ${JSON.stringify(reply)}`));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

describe('pingCheck against a real redis-server', () => {
  let redis: RedisServer;
  let registry: HealthRegistry;

  beforeAll(async () => {
    redis = await startRedisServer();
    registry = new HealthRegistry().register(pingCheck('redis', () => pingOverTcp(redis.port), { timeoutMs: 300 }));
  });

  afterAll(async () => {
    await redis.dispose();
  });

  it('passes with the measured round-trip latency', async () => {
    expect(await pingOverTcp(redis.port)).toBe('PONG');
    const report = await registry.readiness();
    expect(report.status).toBe('pass');
    const latencyMs = report.checks['redis']!.figures!['latencyMs'] as number;
    expect(latencyMs).toBeGreaterThan(0);
    expect(latencyMs).toBeLessThan(300);
    expect(report.checks['redis']!.durationMs).toBeGreaterThanOrEqual(latencyMs - 0.01);
  });

  it('fails after its timeout while Redis hangs, and passes again once it answers', async () => {
    redis.pause();
    try {
      const started = Date.now();
      const report = await registry.readiness();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(report.status).toBe('fail');
      expect(report.checks['redis']).toMatchObject({ status: 'fail', message: 'no answer within 300 ms' });
    } finally {
      redis.resume();
    }
    expect((await registry.readiness()).status).toBe('pass');
  });

  it('fails with the connection error while Redis is down', async () => {
    await redis.stop();
    try {
      const report = await registry.readiness();
      expect(report.status).toBe('fail');
      expect(report.checks['redis']!.message).toMatch(/^redis did not answer: connect ECONNREFUSED/);
      expect(report.checks['redis']!.figures!['latencyMs']).toEqual(expect.any(Number));
    } finally {
      await redis.restart();
    }
    expect((await registry.readiness()).status).toBe('pass');
  });
});
