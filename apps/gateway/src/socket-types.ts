import type { ClientToServerEvents, ServerToClientEvents } from '@gamebuddies/protocol';
import type { Server, Socket } from 'socket.io';

/** What the gateway keeps on each connection. */
export interface ConnectionData {
  /** The token the handshake brought, if any. */
  handshakeToken?: string;
  /** The session this connection plays under, once `session:open` succeeded. */
  session?: { token: string; playerId: string; name: string };
  /** The room this connection last played in: a hint, checked against the room on use. */
  roomCode?: string | null;
}

/** The gateway's typed Socket.IO server. */
export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ConnectionData>;
/** One typed connection. */
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ConnectionData>;
