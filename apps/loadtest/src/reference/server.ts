/**
 * The reference server: bare Socket.IO speaking the part of the gateway's wire protocol that the party-bench
 * bots use, with the same fan-out (one `room:view` per member per answer, each member's own view) and no
 * game runtime, no stores, no guards. What a hand-written single-process server would do: the ceiling the
 * gateway is measured against.
 *
 * Run: `node --import tsx apps/loadtest/src/reference/server.ts [--port 3100] [--host 127.0.0.1]`
 * (or PORT / HOST in the environment).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Server, type Socket } from 'socket.io';

/** The only game the reference server plays. */
export const REFERENCE_GAME_ID = 'party-bench';

/** What an acknowledgement carries, as in the gateway's protocol. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** A member as every client sees them. */
export interface ReferenceMember {
  id: string;
  name: string;
  role: 'player';
  isConnected: boolean;
}

/** One member's view: the same fields as party-bench's view, about 70 bytes of JSON. */
export interface ReferenceView {
  round: number;
  myScore: number;
  myRank: number;
  leader: { name: string; score: number } | null;
}

interface Player {
  id: string;
  name: string;
  token: string;
  socket: Socket;
  /** The room the player is in, or null. */
  room: Room | null;
  score: number;
}

interface Room {
  code: string;
  version: number;
  phase: 'lobby' | 'playing';
  hostId: string | null;
  maxPlayers: number;
  /** Members in join order. */
  members: Map<string, Player>;
  answers: number;
  leader: Player | null;
}

/** Options for {@link startReferenceServer}. */
export interface ReferenceServerOptions {
  /** Port to listen on; 0 (the default) lets the kernel pick one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
}

/** A running reference server. */
export interface ReferenceServer {
  /** `http://host:port` */
  url: string;
  port: number;
  /** Rooms open right now. */
  roomCount(): number;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

const ROOM_CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function refuse(code: string, message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function memberOf(player: Player): ReferenceMember {
  return { id: player.id, name: player.name, role: 'player', isConnected: true };
}

function viewFor(room: Room, player: Player): ReferenceView {
  let better = 0;
  for (const other of room.members.values()) if (other.score > player.score) better++;
  const seated = Math.max(1, room.members.size);
  return {
    round: Math.floor(room.answers / seated) + 1,
    myScore: player.score,
    myRank: better + 1,
    leader: room.leader === null ? null : { name: room.leader.name, score: room.leader.score },
  };
}

function snapshotFor(room: Room, player: Player): Record<string, unknown> {
  return {
    code: room.code,
    version: room.version,
    gameId: REFERENCE_GAME_ID,
    phase: room.phase,
    hostId: room.hostId,
    members: [...room.members.values()].map(memberOf),
    result: null,
    view: room.phase === 'playing' ? viewFor(room, player) : null,
  };
}

/** Sends every member their own view, one `socket.emit` each (no broadcast helpers: the same work as the gateway's). */
function sendViews(room: Room): void {
  for (const member of room.members.values()) {
    member.socket.emit('room:view', { code: room.code, version: room.version, phase: room.phase, hostId: room.hostId, view: viewFor(room, member) });
  }
}

/**
 * Starts the reference server on `host:port` with `/metrics` (prom-client default metrics, prefix
 * `gamebuddies_`, its own registry) and `/health/live`.
 * @throws the listen error (e.g. EADDRINUSE).
 */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1';
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gamebuddies_' });

  const httpServer: HttpServer = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500).end(String(error));
        },
      );
      return;
    }
    if (req.method === 'GET' && (req.url === '/health/live' || req.url === '/health/ready')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404).end();
  });
  const io = new Server(httpServer, { transports: ['websocket'], maxHttpBufferSize: 64 * 1024 });

  const rooms = new Map<string, Room>();
  const sessions = new Map<string, Player>();
  let nextPlayer = 0;

  const newRoomCode = (): string => {
    for (;;) {
      let code = '';
      const bytes = randomBytes(6);
      for (const byte of bytes) code += ROOM_CODE_LETTERS[byte % ROOM_CODE_LETTERS.length];
      if (!rooms.has(code)) return code;
    }
  };

  const leave = (player: Player): void => {
    const room = player.room;
    if (room === null) return;
    player.room = null;
    room.members.delete(player.id);
    if (room.members.size === 0) {
      rooms.delete(room.code);
      return;
    }
    room.version++;
    if (room.hostId === player.id) room.hostId = room.members.keys().next().value ?? null;
    if (room.leader === player) room.leader = null;
    const change = { code: room.code, version: room.version, kind: 'left', member: { ...memberOf(player), isConnected: false } };
    for (const member of room.members.values()) member.socket.emit('room:member', change);
  };

  io.on('connection', (socket) => {
    let player: Player | null = null;
    const auth: unknown = socket.handshake.auth;
    const handshakeToken = isRecord(auth) && typeof auth['token'] === 'string' ? auth['token'] : undefined;

    /** Answers `event` with what `answer` returns for the session's player (SESSION_REQUIRED without one). */
    const handle = (event: string, answer: (request: unknown, player: Player) => Ack<unknown>): void => {
      socket.on(event, (request: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        (ack as (answer: Ack<unknown>) => void)(player === null ? refuse('SESSION_REQUIRED', 'send session:open first') : answer(request, player));
      });
    };

    socket.on('session:open', (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (answer: Ack<unknown>) => void;
      const restored = handshakeToken === undefined ? undefined : sessions.get(handshakeToken);
      if (restored !== undefined) {
        restored.socket = socket;
        player = restored;
      } else {
        const name = isRecord(request) ? request['name'] : undefined;
        if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
          reply(refuse('INVALID_PAYLOAD', 'a name of 1 to 32 characters is needed'));
          return;
        }
        player = { id: `p${(nextPlayer++).toString(36)}`, name, token: randomBytes(18).toString('base64url'), socket, room: null, score: 0 };
        sessions.set(player.token, player);
      }
      reply({ ok: true, data: { token: player.token, playerId: player.id, name: player.name, roomCode: player.room?.code ?? null } });
    });

    handle('games:list', () => ({ ok: true, data: [{ id: REFERENCE_GAME_ID, name: 'Party bench', minPlayers: 1, maxPlayers: 100 }] }));

    handle('room:create', (request, me) => {
      if (me.room !== null) return refuse('ALREADY_IN_ROOM', 'leave your room first');
      if (!isRecord(request) || request['gameId'] !== REFERENCE_GAME_ID) return refuse('UNKNOWN_GAME', 'only party-bench is played here');
      const options = isRecord(request['options']) ? request['options'] : {};
      const maxPlayers = typeof options['maxPlayers'] === 'number' ? options['maxPlayers'] : 10;
      const room: Room = { code: newRoomCode(), version: 1, phase: 'lobby', hostId: me.id, maxPlayers, members: new Map([[me.id, me]]), answers: 0, leader: null };
      rooms.set(room.code, room);
      me.room = room;
      me.score = 0;
      return { ok: true, data: snapshotFor(room, me) };
    });

    handle('room:join', (request, me) => {
      if (me.room !== null) return refuse('ALREADY_IN_ROOM', 'leave your room first');
      const code = isRecord(request) && typeof request['code'] === 'string' ? request['code'].toUpperCase() : '';
      const room = rooms.get(code);
      if (room === undefined) return refuse('ROOM_NOT_FOUND', 'no room has that code');
      if (room.members.size >= room.maxPlayers) return refuse('ROOM_FULL', 'the room is full');
      room.version++;
      const change = { code: room.code, version: room.version, kind: 'joined', member: memberOf(me) };
      for (const member of room.members.values()) member.socket.emit('room:member', change);
      room.members.set(me.id, me);
      me.room = room;
      me.score = 0;
      return { ok: true, data: snapshotFor(room, me) };
    });

    handle('room:start', (_request, me) => {
      const room = me.room;
      if (room === null) return refuse('NOT_IN_ROOM', 'join a room first');
      if (room.hostId !== me.id) return refuse('HOST_ONLY', 'only the host may start');
      if (room.phase === 'playing') return refuse('GAME_ALREADY_STARTED', 'the game runs');
      room.phase = 'playing';
      room.version++;
      sendViews(room);
      return { ok: true, data: { version: room.version } };
    });

    handle('game:act', (request, me) => {
      const room = me.room;
      if (room === null) return refuse('NOT_IN_ROOM', 'join a room first');
      if (room.phase !== 'playing') return refuse('GAME_NOT_STARTED', 'the room is in its lobby');
      if (!isRecord(request) || request['action'] !== 'answer') return refuse('UNKNOWN_ACTION', 'the only action is answer');
      const payload = request['payload'];
      const choice = isRecord(payload) ? payload['choice'] : undefined;
      if (typeof choice !== 'number' || !Number.isInteger(choice) || choice < 0 || choice > 3) return refuse('INVALID_PAYLOAD', 'choice must be 0, 1, 2 or 3');
      me.score++;
      room.answers++;
      if (room.leader === null || me.score > room.leader.score) room.leader = me;
      room.version++;
      sendViews(room);
      return { ok: true, data: { version: room.version } };
    });

    handle('room:sync', (_request, me) => (me.room === null ? refuse('NOT_IN_ROOM', 'join a room first') : { ok: true, data: snapshotFor(me.room, me) }));

    handle('room:leave', (_request, me) => {
      const room = me.room;
      if (room === null) return refuse('NOT_IN_ROOM', 'join a room first');
      leave(me);
      return { ok: true, data: { code: room.code } };
    });

    socket.on('disconnect', () => {
      // No grace period: a bench player that drops does not come back.
      if (player === null || player.socket !== socket) return;
      leave(player);
      sessions.delete(player.token);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    roomCount: () => rooms.size,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

/** Reads `--name value` from the arguments, or the environment variable. */
function setting(args: string[], flag: string, env: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : process.env[env];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const server = await startReferenceServer({ port: Number(setting(args, '--port', 'PORT') ?? 3100), host: setting(args, '--host', 'HOST') ?? '127.0.0.1' });
  process.stdout.write(`reference server listening on ${server.url}\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// Run when started as a program (node --import tsx .../reference/server.ts), not when imported.
if (/reference[\\/]server\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main().catch((error: unknown) => {
    process.stderr.write(`the reference server could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
