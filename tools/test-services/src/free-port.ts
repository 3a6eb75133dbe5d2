import { createConnection, createServer } from 'node:net';

/** Asks the kernel for a free TCP port on 127.0.0.1. Another process may take it before use: callers retry. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port the kernel gave'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Runs `start` (which picks its free ports and cleans up after itself when it fails) up to `attempts` times while
 * it fails on a port in use: a port found free may be taken by another process before the service binds it.
 * @throws the last attempt's error, or at once an error that is not about a port in use.
 */
export async function retryOnFreePorts<T>(start: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const isPortTaken = error instanceof Error && /address already in use|cannot bind|bind\(\)|EADDRINUSE/i.test(error.message);
      if (!isPortTaken || attempt >= attempts) throw error;
    }
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
