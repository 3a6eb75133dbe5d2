import { GameBuddiesError, isGameBuddiesError, systemClock, type Clock, type JsonObject } from '@gamebuddies/core';
import { GatewayErrorCode, type RoomSnapshot } from '@gamebuddies/protocol';
import { generateRoomCode, RoomStoreErrorCode } from '@gamebuddies/room-store';
import { SessionStoreErrorCode } from '@gamebuddies/session-store';
import type { RoomHost } from './room-host';

/**
 * The part of a session store membership needs: the session's room binding, set and cleared by
 * compare-and-set. `@gamebuddies/session-store`'s `SessionStore` is one.
 */
export interface SessionBindings {
  get(token: string): Promise<{ playerId: string; roomCode: string | null; roomBoundAt?: number | null } | null>;
  /** Binds only while the session is bound to `ifRoomIs`; otherwise throws ROOM_BINDING_CONFLICT. */
  bindRoom(token: string, roomCode: string, options: { ifRoomIs: string | null }): Promise<unknown>;
  /** Unbinds only while the session is bound to `ifRoomIs`; otherwise changes nothing. */
  unbindRoom(token: string, options: { ifRoomIs: string }): Promise<unknown>;
}

/** Who asks: a player, with the session token that proves it. */
export interface PlayerIdentity {
  token: string;
  playerId: string;
  name: string;
}

/** How {@link Membership} is built. */
export interface MembershipOptions {
  host: RoomHost;
  sessions: SessionBindings;
  clock?: Clock;
  /**
   * How long a fresh binding to a room the player is not (yet) in counts as a join in progress, so that a
   * second tab waits instead of taking the binding over (default 10 s). Older ones are left-overs of a failed
   * join and are replaced.
   */
  claimWindowMs?: number;
  /** Length of generated room codes (default 6). */
  codeLength?: number;
}

const ROOM_GONE_CODES: ReadonlySet<string> = new Set([RoomStoreErrorCode.ROOM_NOT_FOUND, RoomStoreErrorCode.INVALID_ROOM_CODE]);

/**
 * One room per player. The room is the truth about who is in it; the session's binding is a claim taken by
 * compare-and-set BEFORE the player is seated, so two connections on one token (two tabs, two gateways) can
 * never seat the player in two rooms: the second finds the first's claim and is refused. A claim left behind
 * by a failed join (the player is not in that room) is checked against the room and replaced once it is
 * older than the claim window. Every refusal happens before anything is written, so an error answer means
 * nothing changed.
 */
export class Membership {
  private readonly host: RoomHost;
  private readonly sessions: SessionBindings;
  private readonly clock: Clock;
  private readonly claimWindowMs: number;
  private readonly codeLength: number;

  constructor(options: MembershipOptions) {
    this.host = options.host;
    this.sessions = options.sessions;
    this.clock = options.clock ?? systemClock;
    this.claimWindowMs = options.claimWindowMs ?? 10_000;
    this.codeLength = options.codeLength ?? 6;
  }

  /**
   * Creates a room with the player as its host, after claiming it for their session.
   * @throws SESSION_REQUIRED (the session ended); ALREADY_IN_ROOM; ROOM_BUSY; the host's errors.
   */
  async create(player: PlayerIdentity, input: { gameId: string; options?: JsonObject }): Promise<RoomSnapshot> {
    this.host.assertGame(input.gameId);
    for (let attempt = 1; ; attempt++) {
      const code = generateRoomCode(this.codeLength);
      await this.claim(player, code);
      try {
        return await this.host.createRoom({ ...input, code, hostId: player.playerId, hostName: player.name });
      } catch (error) {
        await this.releaseUnlessUnknown(player, code, error);
        if (isGameBuddiesError(error, RoomStoreErrorCode.ROOM_CODE_TAKEN) && attempt < 8) continue;
        throw error;
      }
    }
  }

  /**
   * Seats the player in `code` (or answers its state if they are in it already), after claiming it.
   * @throws SESSION_REQUIRED; ALREADY_IN_ROOM; ROOM_BUSY; ROOM_NOT_FOUND; ROOM_FULL; the game's refusals.
   */
  async join(player: PlayerIdentity, code: string, options: { asSpectator?: boolean } = {}): Promise<RoomSnapshot> {
    await this.claim(player, code);
    try {
      return await this.host.join(code, player.playerId, player.name, options);
    } catch (error) {
      await this.releaseUnlessUnknown(player, code, error);
      throw error;
    }
  }

  /**
   * Takes the player out of the room they are in and frees their session. Returns the room left.
   * @throws SESSION_REQUIRED; NOT_IN_ROOM when they are in none.
   */
  async leave(player: PlayerIdentity): Promise<{ code: string }> {
    const session = await this.session(player);
    const code = session.roomCode;
    if (code === null) throw new GameBuddiesError(GatewayErrorCode.NOT_IN_ROOM, 'you are not in a room');
    await this.host.leave(code, player.playerId).catch((error: unknown) => {
      if (!isRoomGone(error)) throw error;
    });
    await this.sessions.unbindRoom(player.token, { ifRoomIs: code });
    return { code };
  }

  /**
   * The room the player is in now, or null: the session's binding checked against the room. A binding to a
   * room that is gone or no longer has the player is cleared (compare-and-set, so a newer one is kept).
   * @throws SESSION_REQUIRED.
   */
  async currentRoom(player: PlayerIdentity): Promise<string | null> {
    const session = await this.session(player);
    if (session.roomCode === null) return null;
    const place = await this.host.memberState(session.roomCode, player.playerId);
    if (place === 'member') return session.roomCode;
    // A fresh claim may be a create or join still under way (its room may not even exist yet): keep it.
    if (this.isFresh(session.roomBoundAt)) return null;
    await this.forget(player, session.roomCode);
    return null;
  }

  /** Clears the session's binding to `code` if it is still bound to it (after a kick or a lost room). */
  async forget(player: Pick<PlayerIdentity, 'token'>, code: string): Promise<void> {
    await this.sessions.unbindRoom(player.token, { ifRoomIs: code }).catch(() => undefined);
  }

  /** Claims `code` for the session, by compare-and-set on what it is bound to now. */
  private async claim(player: PlayerIdentity, code: string): Promise<void> {
    const session = await this.session(player);
    const bound = session.roomCode;
    if (bound === code) return;
    if (bound !== null) {
      const place = await this.host.memberState(bound, player.playerId);
      if (place === 'member') {
        throw new GameBuddiesError(GatewayErrorCode.ALREADY_IN_ROOM, `you are in room ${bound}: leave it first`, { room: bound });
      }
      // Not in it (yet): a fresh claim is another connection's create or join under way, whose room may not
      // exist yet; only an old one is a left-over to replace.
      if (this.isFresh(session.roomBoundAt)) throw roomBusy('your other connection is joining a room', this.claimWindowMs);
    }
    try {
      await this.sessions.bindRoom(player.token, code, { ifRoomIs: bound });
    } catch (error) {
      if (!isGameBuddiesError(error, SessionStoreErrorCode.ROOM_BINDING_CONFLICT)) throw sessionError(error);
      const actual = error.details?.['actual'];
      if (actual === code) return;
      throw roomBusy('your other connection changed rooms at the same moment', 100);
    }
  }

  /** Gives a claim back after a refused create or join; an outcome nobody knows keeps it (checked on next use). */
  private async releaseUnlessUnknown(player: PlayerIdentity, code: string, error: unknown): Promise<void> {
    if (isGameBuddiesError(error) && error.details?.['outcome'] === 'unknown') return;
    await this.forget(player, code);
  }

  private async session(player: PlayerIdentity): Promise<{ roomCode: string | null; roomBoundAt: number | null }> {
    const session = await this.sessions.get(player.token).catch((error: unknown) => {
      throw sessionError(error);
    });
    if (session === null || session.playerId !== player.playerId) throw sessionEnded();
    return { roomCode: session.roomCode, roomBoundAt: session.roomBoundAt ?? null };
  }

  private isFresh(boundAt: number | null): boolean {
    return boundAt !== null && this.clock.now() - boundAt < this.claimWindowMs;
  }
}

/** True for the errors that say a room (or the player's place in it) is gone. */
export function isRoomGone(error: unknown): boolean {
  return isGameBuddiesError(error) && (ROOM_GONE_CODES.has(error.code) || error.code === GatewayErrorCode.NOT_IN_ROOM);
}

function roomBusy(message: string, retryAfterMs: number): GameBuddiesError<typeof GatewayErrorCode.ROOM_BUSY> {
  return new GameBuddiesError(GatewayErrorCode.ROOM_BUSY, `${message}: try again`, { retryAfterMs });
}

function sessionEnded(): GameBuddiesError<typeof GatewayErrorCode.SESSION_REQUIRED> {
  return new GameBuddiesError(GatewayErrorCode.SESSION_REQUIRED, 'your session has ended: open a new one (session:open)');
}

/** A session that vanished between two calls reads as ended; other store errors pass through. */
function sessionError(error: unknown): unknown {
  return isGameBuddiesError(error, SessionStoreErrorCode.SESSION_NOT_FOUND) ? sessionEnded() : error;
}
