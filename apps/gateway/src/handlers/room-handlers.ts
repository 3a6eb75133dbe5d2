import type { GameBuddiesError } from '@gamebuddies/core';
import { WireErrorCode, type RoomSnapshot } from '@gamebuddies/protocol';
import type { RequestOf } from '@gamebuddies/protocol/schemas';
import { normalizeRoomCode } from '@gamebuddies/room-store';
import { clientAddress } from '../client-address';
import { refuseWhileDraining, requireSession, wireError, type HandlerContext } from './context';

/** `room:create`: within this gateway's room cap and the session's creation budget (a refused create gives it back). */
export async function createRoom(ctx: HandlerContext, request: RequestOf<'room:create'>): Promise<RoomSnapshot> {
  refuseWhileDraining(ctx);
  const player = requireSession(ctx);
  if (ctx.host.hostedRooms >= ctx.config.maxRooms) {
    throw wireError(WireErrorCode.SERVER_FULL, 'this server hosts as many rooms as it may: try again later');
  }
  const budget = await ctx.guards.takeRoomCreation(player.playerId);
  if (!budget.isAllowed) {
    throw wireError(WireErrorCode.ROOM_LIMIT_REACHED, 'you have created too many rooms: wait before creating another', { retryAfterMs: budget.retryAfterMs });
  }
  const options = request.options === undefined ? {} : { options: request.options };
  const snapshot = await ctx.membership.create(player, { gameId: request.gameId, ...options }).catch(async (error: unknown) => {
    await ctx.guards.giveBackRoomCreation(player.playerId);
    throw error;
  });
  ctx.rooms.place(ctx.socket, snapshot.code);
  return snapshot;
}

/**
 * `room:join`: the guess is reserved before the code is looked up, and the code is looked up before anything
 * is claimed, so a wrong guess writes nothing; a right code gives its guess back and joins even from an
 * address that has used up its wrong guesses.
 */
export async function joinRoom(ctx: HandlerContext, request: RequestOf<'room:join'>): Promise<RoomSnapshot> {
  refuseWhileDraining(ctx);
  const player = requireSession(ctx);
  const guess = await ctx.guards.reserveCodeGuess(ctx.socket.id, clientAddress(ctx.socket, ctx.config.trustProxyHops));
  const tooMany = (): GameBuddiesError => {
    ctx.metrics.rateLimited.inc({ event: 'room:join' });
    return wireError(WireErrorCode.TOO_MANY_WRONG_CODES, 'too many wrong room codes: wait before trying again', { retryAfterMs: guess.retryAfterMs });
  };
  if (!guess.isAllowed) throw tooMany();
  let code: string;
  try {
    code = normalizeRoomCode(request.code);
  } catch (error) {
    if (guess.isAddressBlocked) throw tooMany();
    throw error;
  }
  if (!(await ctx.host.exists(code))) {
    if (guess.isAddressBlocked) throw tooMany();
    throw wireError(WireErrorCode.ROOM_NOT_FOUND, `room ${code} does not exist`, { room: code });
  }
  await guess.settleRight();
  const snapshot = await ctx.membership.join(player, code, request.asSpectator ? { asSpectator: true } : {});
  ctx.rooms.place(ctx.socket, code);
  return snapshot;
}

/** `room:leave`: the room the session is in (not this connection's hint), and the session is freed. */
export async function leaveRoom(ctx: HandlerContext): Promise<{ code: string }> {
  const left = await ctx.membership.leave(requireSession(ctx));
  ctx.rooms.place(ctx.socket, null);
  return left;
}
