import { isGameBuddiesError } from '@gamebuddies/core';
import { WireErrorCode, type RoomSnapshot } from '@gamebuddies/protocol';
import type { RequestOf } from '@gamebuddies/protocol/schemas';
import type { ChangeResult, PlayerIdentity } from '@gamebuddies/room-host';
import { RoomStoreErrorCode } from '@gamebuddies/room-store';
import { requireSession, wireError, type HandlerContext } from './context';

/** The room this connection plays in: its hint, or (when it has none) the session's, checked against the room. */
async function currentRoom(ctx: HandlerContext, player: PlayerIdentity): Promise<string> {
  let code = ctx.socket.data.roomCode ?? null;
  if (code === null) {
    code = await ctx.membership.currentRoom(player);
    ctx.rooms.place(ctx.socket, code);
  }
  if (code === null) throw wireError(WireErrorCode.NOT_IN_ROOM, 'you are not in a room');
  return code;
}

/** True when an error says the caller (not someone they named) has no place in the room any more. */
function isCallerGone(error: unknown, playerId: string): boolean {
  if (!isGameBuddiesError(error)) return false;
  if (error.code === RoomStoreErrorCode.ROOM_NOT_FOUND) return true;
  return error.code === WireErrorCode.NOT_IN_ROOM && error.details?.['playerId'] === playerId;
}

/**
 * Runs a call on the player's room. If the room is gone, or the player is no longer in it (kicked, or moved
 * by their other tab), the hint is checked against the store: a lost room is announced, a move is followed.
 */
async function inRoom<T>(ctx: HandlerContext, call: (code: string, player: PlayerIdentity) => Promise<T>): Promise<T> {
  const player = requireSession(ctx);
  const code = await currentRoom(ctx, player);
  try {
    return await call(code, player);
  } catch (error) {
    if (!isCallerGone(error, player.playerId)) throw error;
    ctx.rooms.place(ctx.socket, null);
    if (isGameBuddiesError(error, RoomStoreErrorCode.ROOM_NOT_FOUND)) await ctx.rooms.announceLost(code);
    const now = await ctx.membership.currentRoom(player);
    ctx.rooms.place(ctx.socket, now);
    if (now === null || now === code) throw error;
    return call(now, player);
  }
}

/** `room:start` (host only). */
export function startGame(ctx: HandlerContext): Promise<ChangeResult> {
  return inRoom(ctx, (code, player) => ctx.host.start(code, player.playerId));
}

/** `room:kick` (host only): a target who is not in the room is an answer about the target, not the caller. */
export function kickPlayer(ctx: HandlerContext, request: RequestOf<'room:kick'>): Promise<ChangeResult> {
  return inRoom(ctx, async (code, player) => {
    try {
      return await ctx.host.kick(code, player.playerId, request.playerId);
    } catch (error) {
      if (isGameBuddiesError(error, WireErrorCode.NOT_IN_ROOM) && error.details?.['playerId'] === request.playerId && request.playerId !== player.playerId) {
        throw wireError(WireErrorCode.TARGET_NOT_IN_ROOM, `player ${request.playerId} is not in this room`, { playerId: request.playerId });
      }
      throw error;
    }
  });
}

/** `room:sync`: the player's current picture of the room. */
export function syncRoom(ctx: HandlerContext): Promise<RoomSnapshot> {
  return inRoom(ctx, (code, player) => ctx.host.snapshot(code, player.playerId));
}

/** `game:act`: a game action, checked by the game's own schema. */
export function act(ctx: HandlerContext, request: RequestOf<'game:act'>): Promise<ChangeResult> {
  return inRoom(ctx, (code, player) => ctx.host.act(code, player.playerId, request.action, request.payload));
}
