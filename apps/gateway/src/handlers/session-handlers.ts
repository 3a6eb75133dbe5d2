import { isGameBuddiesError } from '@gamebuddies/core';
import { WireErrorCode, type SessionInfo } from '@gamebuddies/protocol';
import type { RequestOf } from '@gamebuddies/protocol/schemas';
import { isRoomGone } from '@gamebuddies/room-host';
import { generateSessionToken } from '@gamebuddies/session-store';
import { playerChannel } from '../deliver';
import { wireError, type HandlerContext } from './context';

/**
 * `session:open`: restores the session of the connection (or of the handshake's token), read from the store
 * every time so that a session the store lost is not served from memory; otherwise starts one with `name`.
 * A restored session in a room brings the player back to their seat.
 */
export async function openSession(ctx: HandlerContext, request: RequestOf<'session:open'>): Promise<SessionInfo> {
  const { socket, sessions, rooms } = ctx;
  const token = socket.data.session?.token ?? socket.data.handshakeToken;
  const found = token === undefined ? null : await sessions.get(token);
  let info: SessionInfo;
  if (found !== null && token !== undefined) {
    await sessions.touch(token);
    info = { token, playerId: found.playerId, name: found.displayName, roomCode: found.roomCode };
  } else {
    if (request.name === undefined) {
      throw wireError(WireErrorCode.INVALID_PAYLOAD, 'a name is needed to start a new session', {
        issues: [{ path: ['name'], message: 'required for a new session' }],
      });
    }
    // A token made here makes the create idempotent: if its answer is lost, the same create is sent once more.
    const input = { displayName: request.name, token: generateSessionToken() };
    const created = await sessions.create(input).catch((error: unknown) => {
      if (isGameBuddiesError(error) && error.details?.['outcome'] === 'unknown') return sessions.create(input);
      throw error;
    });
    info = { token: created.token, playerId: created.session.playerId, name: created.session.displayName, roomCode: null };
  }
  const before = socket.data.session;
  if (before !== undefined && before.playerId !== info.playerId) {
    // The session this connection had is gone (the store lost it): this one starts afresh.
    await socket.leave(playerChannel(before.playerId));
    rooms.place(socket, null);
  }
  const player = { token: info.token, playerId: info.playerId, name: info.name };
  socket.data.session = player;
  await socket.join(playerChannel(info.playerId));
  if (info.roomCode === null) return info;
  ctx.metrics.reconnections.inc();
  try {
    await ctx.host.reconnect(info.roomCode, info.playerId);
    rooms.place(socket, info.roomCode);
    return info;
  } catch (error) {
    if (!isRoomGone(error)) throw error;
    await ctx.membership.forget(player, info.roomCode);
    return { ...info, roomCode: null };
  }
}
