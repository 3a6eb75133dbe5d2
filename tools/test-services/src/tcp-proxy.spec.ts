import { createConnection, type Socket } from 'node:net';
import { redisCli, startRedisServer, startTcpProxy, type RedisServer, type TcpProxy } from './index';

/** A raw connection speaking Redis inline commands, one reply line per command. */
interface RawClient {
  /** Sends one inline command and resolves with its one-line reply, or rejects when the connection closes first. */
  send(command: string): Promise<string>;
  /** Resolves when the connection has closed. */
  closed: Promise<void>;
  socket: Socket;
}

function connectRaw(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\r\n');
      if (end >= 0 && waiting) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        waiting.resolve(line);
        waiting = undefined;
      }
    });
    socket.on('close', () => waiting?.reject(new Error('connection closed before the reply')));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        send: (command) =>
          new Promise((done, fail) => {
            waiting = { resolve: done, reject: fail };
            socket.write(`${command}\r\n`);
          }),
      }),
    );
  });
}

describe('startTcpProxy', () => {
  let redis: RedisServer;
  let proxy: TcpProxy;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.dispose();
  });
  beforeEach(async () => {
    proxy = await startTcpProxy({ targetPort: redis.port });
    await redisCli(redis.port, ['FLUSHALL']);
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('listens on a free loopback port and carries commands and replies both ways', async () => {
    expect(proxy.host).toBe('127.0.0.1');
    expect(proxy.port).not.toBe(redis.port);
    const client = await connectRaw(proxy.port);
    expect(await client.send('PING')).toBe('+PONG');
    expect(await client.send('INCR counter')).toBe(':1');
    client.socket.destroy();
  });

  it('lets the matching command reach the server, swallows its reply and cuts that connection', async () => {
    const client = await connectRaw(proxy.port);
    expect(await client.send('PING')).toBe('+PONG');
    const cut = proxy.cutAfterNextCommand((chunk) => chunk.toString().includes('INCR'));
    expect(await client.send('PING')).toBe('+PONG'); // not matching: passes
    await expect(client.send('INCR counter')).rejects.toThrow(/closed before the reply/);
    await cut;
    await client.closed;
    expect(await redisCli(redis.port, ['GET', 'counter'])).toBe('1'); // applied exactly once, reply lost
  });

  it('cuts after any command by default, once, and leaves other and later connections alone', async () => {
    const other = await connectRaw(proxy.port);
    const victim = await connectRaw(proxy.port);
    const cut = proxy.cutAfterNextCommand();
    await expect(victim.send('INCR counter')).rejects.toThrow(/closed before the reply/);
    await cut;
    expect(await other.send('INCR counter')).toBe(':2');
    const later = await connectRaw(proxy.port);
    expect(await later.send('INCR counter')).toBe(':3');
    other.socket.destroy();
    later.socket.destroy();
  });

  it('drops every open connection at once and keeps accepting new ones', async () => {
    const first = await connectRaw(proxy.port);
    const second = await connectRaw(proxy.port);
    expect(await first.send('PING')).toBe('+PONG');
    expect(await second.send('PING')).toBe('+PONG');
    proxy.dropAll();
    await Promise.all([first.closed, second.closed]);
    const third = await connectRaw(proxy.port);
    expect(await third.send('PING')).toBe('+PONG');
    third.socket.destroy();
  });

  it('refuses a second armed cut, and rejects an armed cut when it closes', async () => {
    const cut = proxy.cutAfterNextCommand();
    await expect(proxy.cutAfterNextCommand()).rejects.toThrow(/already armed/);
    await proxy.close();
    await expect(cut).rejects.toThrow(/proxy closed before the cut/);
  });
});
