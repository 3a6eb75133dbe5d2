import { createConnection, createServer, type Server } from 'node:net';

/** Starts `server` listening on a port the kernel picks on 127.0.0.1 and resolves with that port. */
export function listenOnFreePort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port the kernel gave'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Asks the kernel for a free TCP port on 127.0.0.1. Another process may take it before use: callers retry. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.unref();
  const port = await listenOnFreePort(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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
