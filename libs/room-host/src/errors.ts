import { GameBuddiesError } from '@gamebuddies/core';
import { GatewayErrorCode } from '@gamebuddies/protocol';

/** No enabled game has this id. */
export class UnknownGameError extends GameBuddiesError<typeof GatewayErrorCode.UNKNOWN_GAME> {
  constructor(gameId: string) {
    super(GatewayErrorCode.UNKNOWN_GAME, `no game "${gameId}" is enabled on this server`, { gameId });
  }
}

/** Another server changed the room so often that this one could not get a write in; nothing changed, retry. */
export class RoomBusyError extends GameBuddiesError<typeof GatewayErrorCode.ROOM_BUSY> {
  constructor(code: string, attempts: number, retryAfterMs = 100) {
    super(GatewayErrorCode.ROOM_BUSY, `room ${code} changed under ${attempts} attempts in a row: try again`, { room: code, attempts, retryAfterMs });
  }
}
