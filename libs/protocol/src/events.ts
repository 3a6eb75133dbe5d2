import type { JsonValue } from '@gamebuddies/core';
import type { AckCallback } from './ack';
import type {
  GameEvent,
  GameOptions,
  GameSummary,
  MemberChange,
  RoomClosed,
  RoomSnapshot,
  RoomViewUpdate,
  ServerDraining,
  SessionInfo,
} from './wire-types';

/** `session:open`: restore the session of the handshake's `auth.token`, or start one with `name`. */
export interface OpenSessionRequest {
  /** Display name for a new session (1–32 characters); ignored when the token restored one. */
  name?: string;
}

/** `room:create` */
export interface CreateRoomRequest {
  gameId: string;
  options?: GameOptions;
}

/** `room:join` */
export interface JoinRoomRequest {
  code: string;
  /** Join to watch rather than play. */
  asSpectator?: boolean;
}

/** `room:kick` (host only) */
export interface KickRequest {
  playerId: string;
}

/** `game:act` */
export interface ActRequest {
  action: string;
  payload?: JsonValue;
}

/** Events a client sends. Every one takes an acknowledgement: `{ ok: true, data }` or `{ ok: false, error }`. */
export interface ClientToServerEvents {
  'session:open': (request: OpenSessionRequest, ack: AckCallback<SessionInfo>) => void;
  'games:list': (request: Record<string, never>, ack: AckCallback<GameSummary[]>) => void;
  'room:create': (request: CreateRoomRequest, ack: AckCallback<RoomSnapshot>) => void;
  'room:join': (request: JoinRoomRequest, ack: AckCallback<RoomSnapshot>) => void;
  'room:leave': (request: Record<string, never>, ack: AckCallback<{ code: string }>) => void;
  'room:start': (request: Record<string, never>, ack: AckCallback<{ version: number }>) => void;
  'room:kick': (request: KickRequest, ack: AckCallback<{ version: number }>) => void;
  'room:sync': (request: Record<string, never>, ack: AckCallback<RoomSnapshot>) => void;
  'game:act': (request: ActRequest, ack: AckCallback<{ version: number }>) => void;
}

/** Pushes the server sends. */
export interface ServerToClientEvents {
  /** This player's full picture of the room, when the server needs to replace the one the client holds. */
  'room:state': (snapshot: RoomSnapshot) => void;
  /** This player's new view (with the room's version, phase, host and result) after a change of the room. */
  'room:view': (update: RoomViewUpdate) => void;
  /** A member joined, left, dropped or came back (before the `room:view` of the same change). */
  'room:member': (change: MemberChange) => void;
  'game:event': (event: GameEvent) => void;
  'room:closed': (closed: RoomClosed) => void;
  'server:draining': (notice: ServerDraining) => void;
}

/** The names of the events a client may send. */
export const CLIENT_EVENTS = [
  'session:open',
  'games:list',
  'room:create',
  'room:join',
  'room:leave',
  'room:start',
  'room:kick',
  'room:sync',
  'game:act',
] as const satisfies readonly (keyof ClientToServerEvents)[];

/** A client event name. */
export type ClientEventName = (typeof CLIENT_EVENTS)[number];

/** What the client sends in the handshake (`io(url, { auth })`). */
export interface HandshakeAuth {
  /** A session token from an earlier `session:open`, to restore that session. */
  token?: string;
}
