import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** A tiny HTTP server standing in for a gateway behind a load balancer under test. */
export interface HttpBackend {
  /** The name it answers with (`x-backend` header and body), e.g. `gw1`. */
  readonly name: string;
  readonly port: number;
  /** Requests it has answered, health checks excluded. */
  readonly requestCount: number;
  /** Makes `/health/ready` answer 200 (true) or 503 (false), as a gateway does when it starts draining. */
  setReady(isReady: boolean): void;
  /** Closes the server and every connection to it, upgraded ones included. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on a free loopback port that answers every request with its name, serves
 * `/health/live` and `/health/ready` like a gateway, and accepts WebSocket upgrades, echoing every byte back.
 */
export function startHttpBackend(name: string): Promise<HttpBackend> {
  let isReady = true;
  let requestCount = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url === '/health/live' || req.url === '/health/ready') {
      const status = req.url === '/health/live' || isReady ? 200 : 503;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
      return;
    }
    requestCount++;
    res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name }).end(name);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket) => {
    requestCount++;
    const key = String(req.headers['sec-websocket-key'] ?? '');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${webSocketAccept(key)}\r\nX-Backend: ${name}\r\n\r\n`,
    );
    socket.pipe(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('could not read the port the kernel gave'));
        return;
      }
      resolve({
        name,
        port: address.port,
        get requestCount() {
          return requestCount;
        },
        setReady: (ready) => {
          isReady = ready;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Starts one {@link startHttpBackend} per name, e.g. `startHttpBackends('gw1', 'gw2')`, each on its own free port. */
export function startHttpBackends(...names: string[]): Promise<HttpBackend[]> {
  return Promise.all(names.map((name) => startHttpBackend(name)));
}

/** An HTTP response read whole. */
export interface HttpTextResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends one HTTP request on a fresh connection (no keep-alive pool outlives it) and reads the whole answer.
 * @throws Error when the connection fails or no answer comes within `timeoutMs` (default 5 s).
 */
export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<HttpTextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: options.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** An upgraded connection: after the handshake, bytes flow both ways unchanged. */
export interface WebSocketTunnel {
  /** The handshake's response headers (`x-backend` names the backend that took it). */
  headers: IncomingHttpHeaders;
  /** Writes `text` and resolves with the same number of bytes read back (the test backend echoes). */
  echo(text: string): Promise<string>;
  close(): void;
}

/**
 * Performs a WebSocket opening handshake (RFC 6455: `Upgrade: websocket`, a key, version 13) and checks the
 * `Sec-WebSocket-Accept` answer; no frames are parsed, so the tunnel carries raw bytes.
 * @throws Error when the server (or a proxy in between) does not switch protocols.
 */
export function openWebSocketTunnel(url: string, headers: Record<string, string> = {}): Promise<WebSocketTunnel> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(url, {
      agent: false,
      timeout: 5000,
      headers: { ...headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`${url} answered ${res.statusCode} instead of switching to WebSocket`));
    });
    req.on('upgrade', (res, socket) => {
      if (res.headers['sec-websocket-accept'] !== webSocketAccept(key)) {
        socket.destroy();
        reject(new Error('wrong Sec-WebSocket-Accept in the handshake answer'));
        return;
      }
      resolve({
        headers: res.headers,
        echo: (text) =>
          new Promise((done, fail) => {
            let received = '';
            const onData = (chunk: Buffer): void => {
              received += chunk.toString();
              if (received.length >= text.length) {
                socket.off('data', onData);
                done(received);
              }
            };
            socket.on('data', onData);
            socket.once('error', fail);
            socket.write(text);
          }),
        close: () => socket.destroy(),
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no handshake answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The `Sec-WebSocket-Accept` value RFC 6455 derives from a client's key. */
function webSocketAccept(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC11D9B`).digest('base64');
}
