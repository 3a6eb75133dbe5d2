import { GameBuddiesClient } from '@gamebuddies/client';
import type { RoomSnapshot } from '@gamebuddies/protocol';
import { io, type Socket } from 'socket.io-client';

/** Keeps every client a test opens, so they can all be closed after it. */
export class Players {
  private readonly open: { close(): void }[] = [];

  constructor(private readonly url: string) {}

  /** A connected player with a new session. */
  async join(name: string): Promise<GameBuddiesClient> {
    const client = new GameBuddiesClient({ url: this.url, transports: ['websocket'] });
    this.open.push(client);
    await client.openSession(name);
    return client;
  }

  /** A player coming back with a session token. */
  async resume(token: string): Promise<GameBuddiesClient> {
    const client = new GameBuddiesClient({ url: this.url, token, transports: ['websocket'] });
    this.open.push(client);
    await client.connect();
    return client;
  }

  /** A bare Socket.IO connection, for sending what the typed client never would. */
  async raw(options: { extraHeaders?: Record<string, string>; auth?: Record<string, string> } = {}): Promise<Socket> {
    const socket = io(this.url, { transports: ['websocket'], reconnection: false, ...options });
    this.open.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  closeAll(): void {
    for (const client of this.open.splice(0)) client.close();
  }
}

/** Sends an event on a bare socket and resolves with its acknowledgement (or `{ timeout: true }`). */
export function ask(socket: Socket, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    socket.timeout(2000).emit(event, ...args, (error: unknown, response: unknown) => resolve(error ? { timeout: true } : response));
  });
}

/** Resolves with the first state a client receives that passes `test`. */
export function nextState(client: GameBuddiesClient, test: (s: RoomSnapshot) => boolean, timeoutMs = 5000): Promise<RoomSnapshot> {
  const current = client.state;
  if (current !== null && test(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching state within ${timeoutMs} ms; last: ${JSON.stringify({ ...client.state, members: client.state?.members.map((m) => [m.name, m.isConnected]) })?.slice(0, 900)}`));
    }, timeoutMs);
    const off = client.onState((snapshot) => {
      if (!test(snapshot)) return;
      clearTimeout(timer);
      off();
      resolve(snapshot);
    });
  });
}

/** Reads one sample of a metric from the Prometheus text of `/metrics` (0 when absent). */
export async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const [series, value] = line.split(' ');
    if (series === undefined || value === undefined) continue;
    const bare = series.split('{')[0];
    if (bare !== name) continue;
    if (wanted.every((w) => series.includes(w))) return Number(value);
  }
  return 0;
}

/** Who is in a stored room: the members the room host keeps in the room's state (none when there is no room). */
export function storedMembers(record: { state: unknown } | null | undefined): { id: string; isConnected: boolean }[] {
  return record === null || record === undefined ? [] : (record.state as { members: { id: string; isConnected: boolean }[] }).members;
}
