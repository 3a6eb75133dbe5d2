import { createConnection } from 'node:net';
import { requireBinary, startRedisServer } from './index';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.once('error', reject);
  });
}

describe('startRedisServer', () => {
  it('starts a real redis-server on a free loopback port, restarts it on the same port, and stops it', async () => {
    const server = await startRedisServer();
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(await ping(server.port)).toBe('+PONG');
      const firstPid = server.pid;
      await server.kill();
      expect(server.isRunning).toBe(false);
      await expect(ping(server.port)).rejects.toThrow(/ECONNREFUSED/);
      await server.restart();
      expect(server.pid).not.toBe(firstPid);
      expect(await ping(server.port)).toBe('+PONG');
    } finally {
      await server.dispose();
    }
    expect(server.isRunning).toBe(false);
  });

  it('fails with the install command when a binary is missing', () => {
    expect(() => requireBinary('gamebuddies-no-such-binary')).toThrow(/not found on PATH.*Install it/);
  });
});
