// A stand-in for apps/gateway, just big enough to exercise the client over a real Socket.IO connection on
// loopback. Only the specs import it, and only it imports `socket.io`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '@gamebuddies/core';
import {
  ackError,
  ackOk,
  type ClientToServerEvents,
  type RoomClosed,
  type RoomSnapshot,
  type RoomViewUpdate,
  type ServerToClientEvents,
  type SessionInfo,
} from '@gamebuddies/protocol';
import { Server, type Socket } from 'socket.io';

type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface Player {
  token: string;
  playerId: string;
  name: string;
  roomCode: string | null;
}

interface Room {
  code: string;
  version: number;
  hostId: string;
  memberIds: string[];
  count: number;
}

/** The game every fake room plays: a shared counter. `view` is what each player sees of it. */
export interface CounterView {
  count: number;
  you: string;
}

/** A gateway on 127.0.0.1 with a random port, its sessions and rooms in memory, and levers for the tests. */
export class FakeGateway {
  /** The `auth.token` of every handshake, in order (`null` for none). */
  readonly handshakeTokens: (string | null)[] = [];
  /** How many `session:open` requests came in. */
  sessionOpens = 0;
  private readonly players = new Map<string, Player>();
  private readonly rooms = new Map<string, Room>();
  private readonly socketsByPlayer = new Map<string, GatewaySocket>();
  private nextId = 1;

  private constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    /** The address clients connect to. */
    readonly url: string,
  ) {
    io.on('connection', (socket) => this.accept(socket));
  }

  /** Starts a gateway on a free port of 127.0.0.1. */
  static async start(): Promise<FakeGateway> {
    const http = createServer();
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return new FakeGateway(io, `http://127.0.0.1:${port}`);
  }

  /** Closes every connection and the HTTP server. */
  async stop(): Promise<void> {
    await this.io.close();
  }

  /** How many sockets are connected now. */
  get connectionCount(): number {
    return this.io.sockets.sockets.size;
  }

  /** Cuts every connection at the transport, as a network drop does: Socket.IO clients reconnect by themselves. */
  dropConnections(): void {
    for (const socket of this.io.sockets.sockets.values()) socket.conn.close();
  }

  /** Ends every connection on purpose (`socket.disconnect(true)`): Socket.IO clients do not come back. */
  disconnectAll(): void {
    this.io.disconnectSockets(true);
  }

  /** Tells every client the server is shutting down. */
  drain(reconnectAfterMs: number): void {
    this.io.emit('server:draining', { reconnectAfterMs });
  }

  /** Pushes a `room:state` made by the test (e.g. with an old version) to everyone in the room. */
  pushState(snapshot: RoomSnapshot): void {
    this.io.to(snapshot.code).emit('room:state', snapshot);
  }

  /** Sends a game event to everyone in the room. */
  emitGameEvent(code: string, name: string, data: JsonValue): void {
    this.io.to(code).emit('game:event', { code, name, data });
  }

  /** Closes a room: its members are told why and leave it. */
  closeRoom(code: string, reason: RoomClosed['reason']): void {
    const room = this.mustGetRoom(code);
    this.rooms.delete(code);
    for (const id of room.memberIds) {
      const player = this.playerById(id);
      if (player !== undefined) player.roomCode = null;
    }
    this.io.to(code).emit('room:closed', { code, reason });
    this.io.in(code).socketsLeave(code);
  }

  /** Changes a room behind its members' backs, as another server would, without pushing anything. */
  setCount(code: string, count: number): void {
    const room = this.mustGetRoom(code);
    room.count = count;
    room.version++;
  }

  /** The snapshot `playerId` would get of room `code` now. */
  snapshotFor(code: string, playerId: string): RoomSnapshot {
    const room = this.mustGetRoom(code);
    return {
      code: room.code,
      version: room.version,
      gameId: 'counter',
      phase: 'playing',
      hostId: room.hostId,
      members: room.memberIds.map((id) => ({
        id,
        name: this.playerById(id)?.name ?? '?',
        role: 'player',
        isConnected: this.socketsByPlayer.has(id),
      })),
      result: null,
      view: { count: room.count, you: playerId },
    };
  }

  private accept(socket: GatewaySocket): void {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    this.handshakeTokens.push(typeof token === 'string' ? token : null);
    let player: Player | undefined;

    socket.on('disconnect', () => {
      if (player !== undefined && this.socketsByPlayer.get(player.playerId) === socket) {
        this.socketsByPlayer.delete(player.playerId);
      }
    });

    socket.on('session:open', (request, ack) => {
      this.sessionOpens++;
      const known = typeof token === 'string' ? this.players.get(token) : undefined;
      if (known === undefined && request.name === undefined) {
        ack(ackError({ code: 'SESSION_NOT_FOUND', message: 'unknown token and no name' }));
        return;
      }
      player = known ?? this.createPlayer(request.name ?? '');
      this.socketsByPlayer.set(player.playerId, socket);
      if (player.roomCode !== null) void socket.join(player.roomCode);
      ack(ackOk(this.sessionOf(player)));
    });

    socket.on('games:list', (_request, ack) => {
      ack(ackOk([{ id: 'counter', name: 'Counter', minPlayers: 1, maxPlayers: 8 }]));
    });

    socket.on('room:create', (request, ack) => {
      if (player === undefined) return ack(sessionRequired());
      if (request.gameId !== 'counter') {
        return ack(
          ackError({
            code: 'UNKNOWN_GAME',
            message: `no game ${request.gameId}`,
            details: { gameId: request.gameId },
          }),
        );
      }
      const code = `ROOM${this.nextId++}`;
      const start = request.options?.['start'];
      this.rooms.set(code, {
        code,
        version: 1,
        hostId: player.playerId,
        memberIds: [player.playerId],
        count: typeof start === 'number' ? start : 0,
      });
      player.roomCode = code;
      void socket.join(code);
      ack(ackOk(this.snapshotFor(code, player.playerId)));
    });

    socket.on('room:join', (request, ack) => {
      if (player === undefined) return ack(sessionRequired());
      const room = this.rooms.get(request.code);
      if (room === undefined) {
        return ack(
          ackError({
            code: 'ROOM_NOT_FOUND',
            message: `no room ${request.code}`,
            details: { code: request.code },
          }),
        );
      }
      room.memberIds.push(player.playerId);
      room.version++;
      player.roomCode = room.code;
      socket.to(room.code).emit('room:member', {
        code: room.code,
        version: room.version,
        kind: 'joined',
        member: {
          id: player.playerId,
          name: player.name,
          role: request.asSpectator === true ? 'spectator' : 'player',
          isConnected: true,
        },
      });
      void socket.join(room.code);
      // As the gateway does: the joiner's full snapshot is pushed before the answer, the others get their views.
      socket.emit('room:state', this.snapshotFor(room.code, player.playerId));
      ack(ackOk(this.snapshotFor(room.code, player.playerId)));
      this.pushRoom(room, player.playerId);
    });

    socket.on('room:leave', (_request, ack) => {
      if (player?.roomCode == null) return ack(notInRoom());
      const room = this.mustGetRoom(player.roomCode);
      room.memberIds = room.memberIds.filter((id) => id !== player?.playerId);
      room.version++;
      void socket.leave(room.code);
      socket.to(room.code).emit('room:member', {
        code: room.code,
        version: room.version,
        kind: 'left',
        member: { id: player.playerId, name: player.name, role: 'player', isConnected: true },
      });
      player.roomCode = null;
      ack(ackOk({ code: room.code }));
      this.pushRoom(room);
    });

    socket.on('room:sync', (_request, ack) => {
      if (player?.roomCode == null) return ack(notInRoom());
      ack(ackOk(this.snapshotFor(player.roomCode, player.playerId)));
    });

    socket.on('room:start', () => {
      // Never answers: the client's REQUEST_TIMEOUT is what the tests look at.
    });

    socket.on('game:act', (request, ack) => {
      if (player?.roomCode == null) return ack(notInRoom());
      const room = this.mustGetRoom(player.roomCode);
      if (request.action !== 'add' || typeof request.payload !== 'number') {
        return ack(ackError({ code: 'UNKNOWN_ACTION', message: `no action ${request.action}` }));
      }
      room.count += request.payload;
      room.version++;
      ack(ackOk({ version: room.version }));
      this.pushRoom(room);
    });
  }

  /** Pushes a `room:view` made by the test (e.g. with an old version) to everyone in the room. */
  pushView(update: RoomViewUpdate): void {
    this.io.to(update.code).emit('room:view', update);
  }

  /** Sends every member (but `except`) their own view, as the real gateway does after a game change. */
  private pushRoom(room: Room, except?: string): void {
    for (const id of room.memberIds) {
      if (id === except) continue;
      const { code, version, phase, hostId, view } = this.snapshotFor(room.code, id);
      this.socketsByPlayer.get(id)?.emit('room:view', { code, version, phase, hostId, view });
    }
  }

  private createPlayer(name: string): Player {
    const id = this.nextId++;
    const player: Player = {
      token: `token-${id}-${Math.random().toString(36).slice(2)}`,
      playerId: `p${id}`,
      name,
      roomCode: null,
    };
    this.players.set(player.token, player);
    return player;
  }

  private sessionOf(player: Player): SessionInfo {
    return { token: player.token, playerId: player.playerId, name: player.name, roomCode: player.roomCode };
  }

  private playerById(playerId: string): Player | undefined {
    for (const player of this.players.values()) if (player.playerId === playerId) return player;
    return undefined;
  }

  private mustGetRoom(code: string): Room {
    const room = this.rooms.get(code);
    if (room === undefined) throw new Error(`fake gateway: no room ${code}`);
    return room;
  }
}

function sessionRequired(): ReturnType<typeof ackError> {
  return ackError({ code: 'SESSION_REQUIRED', message: 'open a session first' });
}

function notInRoom(): ReturnType<typeof ackError> {
  return ackError({ code: 'NOT_IN_ROOM', message: 'not in a room' });
}
