import { createConnection, createServer, type Socket } from 'node:net';
import { listenOnFreePort } from './free-port';

/** A TCP proxy on 127.0.0.1 in front of one server, able to cut connections at chosen moments. */
export interface TcpProxy {
  /** Always `'127.0.0.1'`. */
  readonly host: string;
  /** The free port the proxy listens on. */
  readonly port: number;
  /**
   * Arms a one-shot fault: the next client->server chunk for which `matches(chunk)` is true (default: any) is
   * forwarded to the server, then the server's reply is swallowed and that client connection is destroyed.
   * Resolves once the cut happened, i.e. once the server has answered (so it has executed the command) and the
   * client has been disconnected without seeing the answer. Bytes the client sends after the matching chunk are
   * never forwarded.
   * @throws Error (the promise rejects) when a cut is already armed, when the connection ends before the server
   * answers, or when the proxy closes before the cut.
   */
  cutAfterNextCommand(matches?: (chunk: Buffer) => boolean): Promise<void>;
  /** Destroys every open connection through the proxy at once (both sides); the proxy keeps accepting new ones. */
  dropAll(): void;
  /** Stops listening, destroys every open connection, and rejects a cut still armed. */
  close(): Promise<void>;
}

/** Options for {@link startTcpProxy}. */
export interface TcpProxyOptions {
  /** The server's port. */
  targetPort: number;
  /** The server's host (default `'127.0.0.1'`). */
  targetHost?: string;
}

/** One armed {@link TcpProxy.cutAfterNextCommand}. */
interface ArmedCut {
  matches: (chunk: Buffer) => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A client connection and the connection the proxy opened to the server for it. */
interface ProxiedConnection {
  client: Socket;
  server: Socket;
  /** Set once this connection's chunk matched an armed cut: the server's next bytes end the connection. */
  cut: ArmedCut | undefined;
}

/**
 * Starts a TCP proxy on 127.0.0.1 (a free port) that forwards every connection to `targetHost:targetPort` and
 * can lose a reply after its command reached the server (`cutAfterNextCommand`) or drop every connection at once
 * (`dropAll`): the faults that make a client unsure whether its write applied.
 * @throws Error when it cannot listen.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const connections = new Set<ProxiedConnection>();
  let armed: ArmedCut | undefined;

  const destroy = (connection: ProxiedConnection): void => {
    connection.client.destroy();
    connection.server.destroy();
    connections.delete(connection);
    // A no-op once the cut resolved; otherwise the connection ended before the server answered the command.
    connection.cut?.reject(new Error('the connection closed before the server answered the cut command'));
  };

  const server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: options.targetPort });
    const connection: ProxiedConnection = { client, server: upstream, cut: undefined };
    connections.add(connection);
    // Errors end the pair; nothing is thrown from a socket event.
    client.on('error', () => destroy(connection));
    upstream.on('error', () => destroy(connection));
    client.on('close', () => destroy(connection));
    upstream.on('close', () => destroy(connection));
    client.on('data', (chunk: Buffer) => {
      if (connection.cut !== undefined) return; // the connection is being cut: nothing more leaves
      const cut = armed;
      if (cut !== undefined && cut.matches(chunk)) {
        armed = undefined;
        connection.cut = cut;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      const cut = connection.cut;
      if (cut === undefined) {
        client.write(chunk);
        return;
      }
      // The server answered the command, so it ran; the client never hears of it.
      cut.resolve();
      destroy(connection);
    });
  });

  const port = await listenOnFreePort(server);
  const dropAll = (): void => {
    for (const connection of [...connections]) destroy(connection);
  };
  return {
    host: '127.0.0.1',
    port,
    cutAfterNextCommand: (matches = () => true) =>
      new Promise<void>((done, fail) => {
        if (armed !== undefined) {
          fail(new Error('a cut is already armed on this proxy'));
          return;
        }
        armed = { matches, resolve: done, reject: fail };
      }),
    dropAll,
    close: () =>
      new Promise<void>((done) => {
        armed?.reject(new Error('the proxy closed before the cut happened'));
        armed = undefined;
        dropAll();
        server.close(() => done());
      }),
  };
}
