import { parseInfo, redisCli, startRedisSentinel, waitUntil, type RedisSentinelSetup } from './index';

describe('startRedisSentinel', () => {
  let setup: RedisSentinelSetup;

  beforeAll(async () => {
    setup = await startRedisSentinel();
  }, 30_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it('starts a master with a synced replica and three sentinels that agree on the master', async () => {
    expect(setup.masterName).toBe('gbmaster');
    expect(setup.sentinels).toHaveLength(3);
    expect(setup.sentinelList).toBe(setup.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','));
    for (const sentinel of setup.sentinels) {
      expect(await redisCli(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gbmaster'])).toBe(`127.0.0.1\n${setup.master.port}`);
    }
    expect(parseInfo(await redisCli(setup.replica.port, ['INFO', 'replication']))['role']).toBe('slave');
  });

  it('promotes the replica within a few seconds when the master is killed, keeping replicated writes', async () => {
    await redisCli(setup.master.port, ['SET', 'gb:room:{ABCD}', 'before-failover']);
    await redisCli(setup.master.port, ['WAIT', '1', '2000']);
    const killedAt = Date.now();
    await setup.killMaster();
    const promoted = await setup.waitForFailover(undefined, 20_000);
    const failoverMs = Date.now() - killedAt;

    expect(promoted).toEqual({ host: '127.0.0.1', port: setup.replica.port });
    expect(failoverMs).toBeLessThan(15_000);
    await waitUntil(async () => parseInfo(await redisCli(setup.replica.port, ['INFO', 'replication']))['role'] === 'master', {
      description: 'the replica to act as master',
    });
    expect(await redisCli(setup.replica.port, ['GET', 'gb:room:{ABCD}'])).toBe('before-failover');
    expect(await redisCli(setup.replica.port, ['SET', 'gb:room:{ABCD}', 'after-failover'])).toBe('OK');
  }, 30_000);
});
