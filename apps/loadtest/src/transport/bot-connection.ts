/** How a bot connection is opened. */
export interface BotConnectionOptions {
  /** The server, e.g. `http://127.0.0.1:3000` (the Socket.IO path `/socket.io/` is added). */
  url: string;
  /** Sent as the handshake's `auth.token` (restores a session); omitted when undefined. */
  token?: string;
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
}

/** A push handler: receives the event's first argument. */
export type PushHandler = (data: unknown) => void;

/** Why a connection closed: `io client disconnect` when the bot asked, else the transport's reason. */
export type CloseHandler = (reason: string) => void;

/**
 * One bot's Socket.IO connection to the default namespace, whatever carries it. Implementations count what
 * they receive so a run can report pushes and bytes per second without touching each frame again.
 */
export interface BotConnection {
  /** Server-to-client frames received (Engine.IO packets, pings included). */
  readonly framesReceived: number;
  /** Bytes of those frames (UTF-8 text). */
  readonly bytesReceived: number;
  /** Server-to-client Socket.IO events received (pushes; acknowledgements are not events). */
  readonly eventsReceived: number;
  /** Whether the namespace is connected and not closed. */
  readonly isConnected: boolean;
  /**
   * Opens the connection and joins the default namespace with `auth.token`.
   * @throws ConnectError when the server refuses the handshake (`connect_error`) or `connectTimeoutMs` passes.
   */
  connect(): Promise<void>;
  /**
   * Sends `event` with `data` and resolves with the server's acknowledgement.
   * @throws AckTimeoutError when no acknowledgement comes within `timeoutMs`; DisconnectedError when the
   * connection closes first (or is not open).
   */
  emitWithAck(event: string, data: unknown, timeoutMs: number): Promise<unknown>;
  /** Calls `handler` with each `event` push (one handler per event; a second call replaces the first). */
  on(event: string, handler: PushHandler): void;
  /** Calls `handler` once when the connection closes, with the reason. */
  onClose(handler: CloseHandler): void;
  /** Closes the connection; pending acknowledgements fail with DisconnectedError. Safe to call twice. */
  close(): void;
}

/** Opens bot connections of one transport. */
export type BotConnectionFactory = (options: BotConnectionOptions) => BotConnection;

/** The handshake failed: refused (`connect_error`, with the server's message) or timed out. */
export class ConnectError extends Error {
  constructor(
    message: string,
    /** `connect_error` when the server refused, `timeout` when it did not answer in time. */
    readonly kind: 'connect_error' | 'timeout',
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

/** No acknowledgement came in time. */
export class AckTimeoutError extends Error {
  constructor(event: string, timeoutMs: number) {
    super(`no acknowledgement of ${event} within ${timeoutMs} ms`);
    this.name = 'AckTimeoutError';
  }
}

/** The connection closed (or was never open) before the acknowledgement came. */
export class DisconnectedError extends Error {
  constructor(reason: string) {
    super(`disconnected: ${reason}`);
    this.name = 'DisconnectedError';
  }
}

/** The default handshake timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** The Socket.IO WebSocket URL of a server URL: `ws(s)://host:port/socket.io/?EIO=4&transport=websocket`. */
export function socketIoWebSocketUrl(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 'wss:' : 'ws:';
  parsed.pathname = '/socket.io/';
  parsed.search = '?EIO=4&transport=websocket';
  return parsed.toString();
}
