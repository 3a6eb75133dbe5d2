import { connectRedis } from '@gamebuddies/redis-connection';
import { RedisConnections, startRedisServer, startTcpProxy, type RedisServer, type TcpProxy } from '@gamebuddies/test-services';
import type { Redis } from 'ioredis';
import { RedisSessionStore } from './redis';
import { CREATE_SESSION, DESTROY_SESSION, WRITE_SESSION } from './redis-scripts';
import { hashSessionToken } from './session-tokens';
import { describeSessionStoreContract, type ContractStoreOptions, type SessionStoreTestBackend } from './testing';
import { dumpRedisText } from './testing/redis-dump';

/** The scripts that write sessions: a lost reply is armed on the next of these. */
const WRITE_SCRIPTS = [CREATE_SESSION, WRITE_SESSION, DESTROY_SESSION];

/**
 * The contract against a real redis-server started on a free port. Each store gets its own connection, through
 * a TCP proxy that can cut a connection after a command reached Redis; the backend's own connection is direct.
 */
class RedisSessionStoreTestBackend implements SessionStoreTestBackend {
  private readonly connections: RedisConnections<Redis>;

  private constructor(
    private readonly server: RedisServer,
    private readonly proxy: TcpProxy,
    private readonly admin: Redis,
  ) {
    this.connections = new RedisConnections(() => connectRedis(`redis://${proxy.host}:${proxy.port}`, { commandTimeoutMs: 1000 }));
  }

  static async start(): Promise<RedisSessionStoreTestBackend> {
    const server = await startRedisServer();
    const proxy = await startTcpProxy({ targetPort: server.port });
    return new RedisSessionStoreTestBackend(server, proxy, await connectRedis(server.url));
  }

  createStore({ namespace, ...options }: ContractStoreOptions): Promise<RedisSessionStore> {
    return this.connections.storeOnOwnConnection((client) => new RedisSessionStore({ ...options, client, keyPrefix: namespace }));
  }

  async corruptSession(namespace: string, token: string, field: string, value: string): Promise<void> {
    const key = this.keysOf(namespace).sessionKey(hashSessionToken(token));
    if ((await this.admin.exists(key)) !== 1) throw new Error('no session to corrupt');
    await this.admin.hset(key, field, value);
  }

  async damageIndex(namespace: string, token: string): Promise<string> {
    const key = this.keysOf(namespace).indexKey(hashSessionToken(token));
    await this.admin.set(key, 'not a sorted set');
    return key;
  }

  storedText(namespace: string): Promise<string[]> {
    return dumpRedisText(this.admin, `${namespace}*`);
  }

  stop(): Promise<void> {
    return this.server.kill();
  }

  start(): Promise<void> {
    return this.server.restart();
  }

  async restartEmpty(): Promise<void> {
    await this.server.restart();
    await this.waitForAdmin();
  }

  async loseNextReply(): Promise<void> {
    // Loaded first, so that the cut command is the script itself and never an EVALSHA answered NOSCRIPT.
    await this.waitForAdmin();
    for (const script of WRITE_SCRIPTS) await this.admin.script('LOAD', script.source);
    const cut = this.proxy.cutAfterNextCommand((chunk) => {
      const text = chunk.toString();
      return WRITE_SCRIPTS.some((script) => text.includes(script.sha));
    });
    // The contract checks the outcome through the store's answer; a cut that never came is not an error here.
    cut.catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.connections.closeAll();
    this.admin.disconnect();
    await this.proxy.close();
    await this.server.dispose();
  }

  /** A store used only to name keys (it sends nothing). */
  private keysOf(namespace: string): RedisSessionStore {
    return new RedisSessionStore({ client: this.admin, keyPrefix: namespace, sweepIntervalMs: 0 });
  }

  private async waitForAdmin(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (this.admin.status !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeSessionStoreContract({ name: 'redis', setup: () => RedisSessionStoreTestBackend.start(), outageBoundMs: 3000 });
