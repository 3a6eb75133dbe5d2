import type { Logger } from '@gamebuddies/core';
import type { RoomSnapshot } from '@gamebuddies/protocol';
import type { Membership, PresenceKeeper, RoomHost } from '@gamebuddies/room-host';
import type { GatewaySocket } from './socket-types';

/**
 * Which room each connection on this gateway plays in (a hint: the room is the truth), indexed by room so
 * that a room that vanishes from the store (Redis restarted empty, flushed, expired) is announced to its
 * members here: they get `room:closed` with reason `lost`, and their sessions are unbound.
 */
export class LocalRooms {
  private readonly sockets = new Map<string, Set<GatewaySocket>>();
  private readonly host: RoomHost;
  private readonly membership: Membership;
  private readonly logger: Logger;
  private readonly presence: PresenceKeeper;
  private sweepCursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(deps: { host: RoomHost; membership: Membership; presence: PresenceKeeper; logger: Logger }) {
    this.presence = deps.presence;
    this.host = deps.host;
    this.membership = deps.membership;
    this.logger = deps.logger;
  }

  /** Records the room a connection now plays in (null: none). */
  place(socket: GatewaySocket, code: string | null): void {
    const before = socket.data.roomCode ?? null;
    if (before === code) return;
    if (before !== null) this.drop(socket, before);
    socket.data.roomCode = code;
    if (code === null) return;
    let set = this.sockets.get(code);
    if (set === undefined) this.sockets.set(code, (set = new Set()));
    set.add(socket);
    const playerId = socket.data.session?.playerId;
    if (playerId !== undefined) this.presence.track({ code, playerId });
  }

  /** Forgets a closed connection. */
  remove(socket: GatewaySocket): void {
    const code = socket.data.roomCode ?? null;
    if (code !== null) this.drop(socket, code);
  }

  /** Rooms with at least one connection here. */
  get size(): number {
    return this.sockets.size;
  }

  /** Tells the members here that the room is gone, and frees their sessions from it. */
  async announceLost(code: string): Promise<void> {
    const members = [...(this.sockets.get(code) ?? [])];
    if (members.length === 0) return;
    this.logger.warn({ room: code, members: members.length }, 'a room vanished from the store: telling its members');
    await Promise.all(
      members.map(async (socket) => {
        this.place(socket, null);
        socket.emit('room:closed', { code, reason: 'lost' });
        const session = socket.data.session;
        if (session !== undefined) await this.membership.forget(session, code);
      }),
    );
  }

  /**
   * Sends every member here a fresh snapshot of the room (another gateway changed it and what it sent could not
   * come along). A member the room no longer has is left to the next request or sweep.
   */
  async resync(code: string): Promise<void> {
    const sockets = [...(this.sockets.get(code) ?? [])];
    const playerIds = sockets.flatMap((socket) => (socket.data.session === undefined ? [] : [socket.data.session.playerId]));
    if (playerIds.length === 0) return;
    const snapshots = await this.host.snapshots(code, playerIds).catch(() => new Map<string, RoomSnapshot>());
    for (const socket of sockets) {
      const snapshot = snapshots.get(socket.data.session?.playerId ?? '');
      if (snapshot !== undefined && socket.data.roomCode === code) socket.emit('room:state', snapshot);
    }
  }

  /**
   * Sends every member here a fresh snapshot of their room: after Redis came back from an outage, change
   * notifications (and the member changes in them) may have been missed while the subscription was down.
   */
  async resyncAll(): Promise<void> {
    for (const code of [...this.sockets.keys()]) await this.resync(code);
  }

  /**
   * Records every player here as present again and marks them connected in their rooms: after this gateway
   * was taken for dead (frozen longer than the presence ttl), a survivor marked them disconnected.
   */
  async reassert(): Promise<void> {
    for (const [code, sockets] of this.sockets) {
      const playerIds = new Set([...sockets].flatMap((socket) => (socket.data.session === undefined ? [] : [socket.data.session.playerId])));
      for (const playerId of playerIds) {
        this.presence.track({ code, playerId });
        await this.host.reconnect(code, playerId).catch((error: unknown) => this.logger.warn({ err: error, room: code, player: playerId }, 'could not mark a player connected again'));
      }
    }
  }

  /**
   * Checks up to `batch` rooms (round robin) and announces those that no longer exist. A store that does not
   * answer proves nothing: those rooms are checked again next time.
   */
  sweep(batch = 200): Promise<void> {
    this.sweeping ??= (async () => {
      const codes = [...this.sockets.keys()];
      if (this.sweepCursor >= codes.length) this.sweepCursor = 0;
      const slice = codes.slice(this.sweepCursor, this.sweepCursor + batch);
      this.sweepCursor += slice.length;
      for (const code of slice) {
        const exists = await this.host.exists(code).catch(() => true);
        if (!exists) await this.announceLost(code);
      }
    })().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  /** Sweeps every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private drop(socket: GatewaySocket, code: string): void {
    const set = this.sockets.get(code);
    set?.delete(socket);
    if (set?.size === 0) this.sockets.delete(code);
    const playerId = socket.data.session?.playerId;
    // The player stays present here while another of their connections here is in the room.
    if (playerId !== undefined && ![...(set ?? [])].some((other) => other.data.session?.playerId === playerId)) {
      this.presence.untrack({ code, playerId });
    }
  }
}
