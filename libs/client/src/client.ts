import { InvalidArgumentError, isGameBuddiesError, type JsonValue } from '@gamebuddies/core';
import type {
  Ack,
  AckCallback,
  ClientToServerEvents,
  GameEvent,
  GameOptions,
  GameSummary,
  MemberChange,
  OpenSessionRequest,
  RoomClosed,
  RoomSnapshot,
  RoomViewUpdate,
  ServerDraining,
  ServerToClientEvents,
  SessionInfo,
} from '@gamebuddies/protocol';
import { WireErrorCode } from '@gamebuddies/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { ClientErrorCode, GameBuddiesClientError } from './errors';
import { ListenerSet, type Unsubscribe } from './listener-set';
import { memoryTokenStore, type TokenStore } from './token-store';

/**
 * Where the client's connection stands: `connecting` until the first session is open, `connected` while
 * requests can be sent, `reconnecting` while it finds its way back by itself, `disconnected` when it has
 * stopped (never started, `close()`, the server closed the connection, or the session could not be restored).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Socket.IO options the client passes through; the client owns `auth`, `autoConnect` and `forceNew`. */
export type ClientSocketOptions = Omit<
  Partial<ManagerOptions & SocketOptions>,
  'auth' | 'autoConnect' | 'forceNew'
>;

/** How to reach a gateway and keep the session. */
export interface GameBuddiesClientOptions {
  /** The gateway's address, e.g. `https://play.example.com` or `http://127.0.0.1:3000`. */
  url: string;
  /** A session token to restore; wins over the one in `tokenStore`. */
  token?: string;
  /** Where the session token is kept between connections (default: in memory, see `memoryTokenStore`). */
  tokenStore?: TokenStore;
  /** Socket.IO transports in the order to try them (default: WebSocket, then long-polling if it fails). */
  transports?: ClientSocketOptions['transports'];
  /** Anything else for socket.io-client: reconnection delays, path, extra headers in Node, … */
  socketOptions?: ClientSocketOptions;
  /** How long a request waits for its acknowledgement before it rejects with REQUEST_TIMEOUT (default 5000). */
  requestTimeoutMs?: number;
}

/** Options of {@link GameBuddiesClient.joinRoom}. */
export interface JoinRoomOptions {
  /** Join to watch rather than play. */
  asSpectator?: boolean;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type RequestEvent = keyof ClientToServerEvents;
type PayloadOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
type ResponseOf<E extends RequestEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** `socket.timeout(ms)` as this file uses it: the typed overloads cannot follow a generic event name. */
interface TimedEmitter {
  emit(
    event: RequestEvent,
    payload: unknown,
    ack: (error: Error | null, response?: unknown) => void,
  ): unknown;
}

interface PendingOpen {
  request: OpenSessionRequest;
  promise: Promise<SessionInfo>;
  resolve(session: SessionInfo): void;
  reject(error: GameBuddiesClientError): void;
}

const DEFAULT_TRANSPORTS: ClientSocketOptions['transports'] = ['websocket', 'polling'];
// Codes of a `room:sync` that mean "the session is in no room any more", not a failure of the restore.
const GONE_FROM_ROOM: ReadonlySet<string> = new Set([WireErrorCode.NOT_IN_ROOM, WireErrorCode.ROOM_NOT_FOUND]);

/**
 * A typed client of the GameBuddies gateway, for browsers and Node: opens or restores a session, sends the
 * protocol's requests and resolves their acknowledgements, keeps the latest room snapshot, and reconnects by
 * itself (restoring the session with its token and resynchronising the room). `TView` and `TResult` type the
 * game's view and result; the client trusts the server and does not check them.
 */
export class GameBuddiesClient<TView = JsonValue, TResult = JsonValue> {
  private readonly url: string;
  private readonly tokenStore: TokenStore;
  private readonly socketOptions: ClientSocketOptions;
  private readonly requestTimeoutMs: number;
  private token: string | null;
  private socket: ClientSocket | null = null;
  private sessionInfo: SessionInfo | null = null;
  private snapshot: RoomSnapshot<TView, TResult> | null = null;
  private connection: ConnectionState = 'disconnected';
  private pendingOpen: PendingOpen | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped whenever a socket is dropped or a new session restore starts, so a late answer of an older one is ignored.
  private generation = 0;
  private isClosed = false;

  private readonly listeners = {
    state: new ListenerSet<RoomSnapshot<TView, TResult>>(),
    member: new ListenerSet<MemberChange>(),
    event: new ListenerSet<GameEvent>(),
    closed: new ListenerSet<RoomClosed>(),
    draining: new ListenerSet<ServerDraining>(),
    connection: new ListenerSet<ConnectionState>(),
    error: new ListenerSet<GameBuddiesClientError>(),
  };

  /**
   * Makes a client; nothing is sent until {@link connect} or {@link openSession}.
   * @throws InvalidArgumentError (code INVALID_ARGUMENT) naming every bad option: an empty `url`, a
   *   `requestTimeoutMs` that is not a positive number.
   */
  constructor(options: GameBuddiesClientOptions) {
    const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    const problems: string[] = [];
    if (typeof options.url !== 'string' || options.url.length === 0) {
      problems.push('url must be a non-empty string');
    }
    if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
      problems.push(
        `requestTimeoutMs must be a positive number of milliseconds, got ${String(requestTimeoutMs)}`,
      );
    }
    if (problems.length > 0) {
      throw new InvalidArgumentError(`GameBuddiesClient: ${problems.join('; ')}`, { problems });
    }
    this.url = options.url;
    this.tokenStore = options.tokenStore ?? memoryTokenStore();
    this.socketOptions = {
      // Try the next transport when one fails to open: long-polling where a proxy blocks WebSocket.
      tryAllTransports: true,
      ...options.socketOptions,
      transports: options.transports ?? options.socketOptions?.transports ?? DEFAULT_TRANSPORTS,
    };
    this.requestTimeoutMs = requestTimeoutMs;
    this.token = options.token ?? this.tokenStore.load();
  }

  /** The latest snapshot of the room this session is in, or null when it is in none. */
  get state(): RoomSnapshot<TView, TResult> | null {
    return this.snapshot;
  }

  /** The open session (player id, name, room code, token), or null before the first one opened. */
  get session(): SessionInfo | null {
    return this.sessionInfo;
  }

  /** Where the connection stands; see {@link ConnectionState}. */
  get connectionState(): ConnectionState {
    return this.connection;
  }

  /** True while requests can be sent. */
  get isConnected(): boolean {
    return this.connection === 'connected';
  }

  /**
   * Connects and restores the session of the stored token (or, without one, asks the server for a session
   * without a name), synchronises the room the session is in, and resolves with the session. Resolves at once
   * when already connected; restarts the connection while reconnecting.
   * @throws GameBuddiesClientError: CONNECT_FAILED (or the handshake's code) when the socket cannot connect,
   *   the server's code when it refuses the session, REQUEST_TIMEOUT, CLIENT_CLOSED after {@link close}.
   */
  connect(): Promise<SessionInfo> {
    if (this.isClosed) return Promise.reject(closedError());
    if (this.connection === 'connected' && this.sessionInfo !== null) {
      return Promise.resolve(this.sessionInfo);
    }
    if (this.pendingOpen !== null) return this.pendingOpen.promise;
    return this.start({});
  }

  /**
   * Starts a new player called `name`: connects without a token (dropping any current connection) and saves
   * the new session's token. The old token is kept if this fails.
   * @throws GameBuddiesClientError: as {@link connect}; INVALID_PAYLOAD from the server for a bad name.
   */
  async openSession(name: string): Promise<SessionInfo> {
    if (this.isClosed) throw closedError();
    const previousToken = this.token;
    this.token = null;
    try {
      return await this.start({ name });
    } catch (error) {
      if (this.token === null) this.token = previousToken;
      throw error;
    }
  }

  /** The games this server hosts. @throws GameBuddiesClientError (see the README's error codes). */
  listGames(): Promise<GameSummary[]> {
    return this.request('games:list', {});
  }

  /**
   * Creates a room for `gameId` and joins it as host; the snapshot also becomes {@link state}.
   * @throws GameBuddiesClientError: UNKNOWN_GAME, INVALID_OPTIONS, ALREADY_IN_ROOM, SERVER_DRAINING, …
   */
  async createRoom(gameId: string, options?: GameOptions): Promise<RoomSnapshot<TView, TResult>> {
    const snapshot = await this.request(
      'room:create',
      options === undefined ? { gameId } : { gameId, options },
    );
    return this.enterRoom(snapshot);
  }

  /**
   * Joins the room with this code, as a player or a spectator; the snapshot also becomes {@link state}.
   * @throws GameBuddiesClientError: ROOM_NOT_FOUND, ROOM_FULL, ALREADY_IN_ROOM, TOO_MANY_WRONG_CODES, …
   */
  async joinRoom(code: string, options: JoinRoomOptions = {}): Promise<RoomSnapshot<TView, TResult>> {
    const request = options.asSpectator === undefined ? { code } : { code, asSpectator: options.asSpectator };
    return this.enterRoom(await this.request('room:join', request));
  }

  /** Leaves the current room; {@link state} becomes null. @throws GameBuddiesClientError: NOT_IN_ROOM, … */
  async leaveRoom(): Promise<{ code: string }> {
    const left = await this.request('room:leave', {});
    this.forgetRoom(left.code);
    return left;
  }

  /**
   * Starts the game (host only); the new state arrives through {@link onState}.
   * @throws GameBuddiesClientError: HOST_ONLY, NOT_ENOUGH_PLAYERS, GAME_ALREADY_STARTED, …
   */
  startGame(): Promise<{ version: number }> {
    return this.request('room:start', {});
  }

  /** Removes a member from the room (host only). @throws GameBuddiesClientError: HOST_ONLY, NOT_IN_ROOM, … */
  kick(playerId: string): Promise<{ version: number }> {
    return this.request('room:kick', { playerId });
  }

  /**
   * Sends a game action; resolves with the room version it produced, the new state arrives through
   * {@link onState}. @throws GameBuddiesClientError: NOT_YOUR_TURN, UNKNOWN_ACTION, INVALID_PAYLOAD, …
   */
  act(action: string, payload?: JsonValue): Promise<{ version: number }> {
    return this.request('game:act', payload === undefined ? { action } : { action, payload });
  }

  /** Fetches the current snapshot of the room (and keeps it if newer). @throws GameBuddiesClientError: NOT_IN_ROOM, … */
  async sync(): Promise<RoomSnapshot<TView, TResult>> {
    const snapshot = this.asSnapshot(await this.request('room:sync', {}));
    this.acceptSnapshot(snapshot, false);
    return snapshot;
  }

  /**
   * Calls `listener` with every newer snapshot of the room: answers of create/join/sync, the fresh state after a
   * reconnect, and the snapshot held after each `room:view` or `room:member` push was applied to it (the server
   * sends whole snapshots only when a player joins or comes back; the client keeps them whole for you). A
   * snapshot older than the one held for the same room is ignored.
   */
  onState(listener: (snapshot: RoomSnapshot<TView, TResult>) => void): Unsubscribe {
    return this.listeners.state.add(listener);
  }

  /** Calls `listener` when a member joins, leaves, drops or comes back. */
  onMember(listener: (change: MemberChange) => void): Unsubscribe {
    return this.listeners.member.add(listener);
  }

  /** Calls `listener` with every event the game emits. */
  onEvent(listener: (event: GameEvent) => void): Unsubscribe {
    return this.listeners.event.add(listener);
  }

  /** Calls `listener` when the room closes for this player (kicked, disposed, left); {@link state} is then null. */
  onClosed(listener: (closed: RoomClosed) => void): Unsubscribe {
    return this.listeners.closed.add(listener);
  }

  /** Calls `listener` when the server announces it is shutting down; the client reconnects by itself after it. */
  onDraining(listener: (notice: ServerDraining) => void): Unsubscribe {
    return this.listeners.draining.add(listener);
  }

  /** Calls `listener` whenever {@link connectionState} changes. */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.listeners.connection.add(listener);
  }

  /**
   * Calls `listener` with failures no promise could report: a session that could not be restored after a
   * reconnect, a server that closed the connection, reconnection given up (when `socketOptions` limits
   * `reconnectionAttempts`). The connection state is then `disconnected`; {@link connect} starts again.
   */
  onError(listener: (error: GameBuddiesClientError) => void): Unsubscribe {
    return this.listeners.error.add(listener);
  }

  /**
   * Disconnects for good: pending requests and a pending connect reject with CLIENT_CLOSED, listeners are
   * dropped after the last `disconnected`, and no timer or socket is left open. Calling it again does nothing.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const pending = this.takePendingOpen();
    this.dropSocket();
    this.setConnection('disconnected');
    pending?.reject(closedError());
    for (const listeners of Object.values(this.listeners)) listeners.clear();
  }

  private start(request: OpenSessionRequest): Promise<SessionInfo> {
    const superseded = this.takePendingOpen();
    this.dropSocket();
    superseded?.reject(
      new GameBuddiesClientError(
        ClientErrorCode.CONNECT_FAILED,
        'superseded by a newer connect() or openSession()',
        {
          reason: 'superseded',
        },
      ),
    );
    let resolve!: PendingOpen['resolve'];
    let reject!: PendingOpen['reject'];
    const promise = new Promise<SessionInfo>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    this.pendingOpen = { request, promise, resolve, reject };
    this.setConnection('connecting');
    const socket = this.createSocket();
    this.socket = socket;
    socket.connect();
    return promise;
  }

  private createSocket(): ClientSocket {
    const socket: ClientSocket = io(this.url, {
      ...this.socketOptions,
      autoConnect: false,
      // A manager of its own: no shared module-level cache, and two clients in one process stay independent.
      forceNew: true,
      // A function, so every reconnect presents the newest token.
      auth: (send) => send(this.token === null ? {} : { token: this.token }),
    });
    socket.on('connect', () => void this.restoreSession(socket));
    socket.on('disconnect', (reason) => this.handleDisconnect(socket, reason));
    socket.on('connect_error', (error) => this.handleConnectError(socket, error));
    socket.io.on('reconnect_failed', () =>
      this.fail(
        new GameBuddiesClientError(ClientErrorCode.CONNECT_FAILED, 'gave up reconnecting', {
          reason: 'reconnect_failed',
        }),
      ),
    );
    socket.on('room:state', (snapshot) => this.acceptSnapshot(this.asSnapshot(snapshot), false));
    socket.on('room:view', (update) => this.applyView(update));
    socket.on('room:member', (change) => this.applyMemberChange(change));
    socket.on('game:event', (event) => this.listeners.event.emit(event));
    socket.on('room:closed', (closed) => {
      this.forgetRoom(closed.code);
      this.listeners.closed.emit(closed);
    });
    socket.on('server:draining', (notice) => this.handleDraining(socket, notice));
    return socket;
  }

  /** Runs on every (re)connection: opens or restores the session, then resynchronises its room. */
  private async restoreSession(socket: ClientSocket): Promise<void> {
    const generation = ++this.generation;
    try {
      const session = await this.send(socket, 'session:open', this.pendingOpen?.request ?? {});
      if (generation !== this.generation) return;
      this.sessionInfo = session;
      this.token = session.token;
      this.tokenStore.save(session.token);
      let snapshot: RoomSnapshot<TView, TResult> | null = null;
      if (session.roomCode !== null) {
        try {
          snapshot = this.asSnapshot(await this.send(socket, 'room:sync', {}));
        } catch (error) {
          if (!(isGameBuddiesError(error) && GONE_FROM_ROOM.has(error.code))) throw error;
        }
      }
      if (generation !== this.generation) return;
      if (snapshot === null) this.forgetRoom(null);
      else this.acceptSnapshot(snapshot, true);
      const pending = this.takePendingOpen();
      this.setConnection('connected');
      pending?.resolve(this.sessionInfo);
    } catch (error) {
      if (generation !== this.generation) return;
      // A dropped connection is not the end: Socket.IO reconnects and this runs again.
      if (isGameBuddiesError(error, ClientErrorCode.CONNECTION_LOST)) return;
      this.fail(toClientError(error));
    }
  }

  private handleDisconnect(socket: ClientSocket, reason: string): void {
    if (socket !== this.socket || this.reconnectTimer !== undefined) return;
    if (socket.active && socket.io.reconnection()) {
      this.setConnection(this.pendingOpen === null ? 'reconnecting' : 'connecting');
      return;
    }
    // Socket.IO will not reconnect: the server ended the connection on purpose (it wants this client gone), or
    // `socketOptions.reconnection` is off.
    this.fail(
      new GameBuddiesClientError(
        ClientErrorCode.CONNECTION_LOST,
        `the connection closed (${reason}) for good`,
        {
          reason,
        },
      ),
    );
  }

  private handleConnectError(socket: ClientSocket, error: Error & { data?: unknown }): void {
    if (socket !== this.socket) return;
    // While reconnecting, Socket.IO retries with backoff; a first connect, or a refused handshake, fails now.
    if (this.pendingOpen === null && socket.active) return;
    const data = error.data;
    const code =
      typeof data === 'object' && data !== null && typeof (data as { code?: unknown }).code === 'string'
        ? (data as { code: string }).code
        : ClientErrorCode.CONNECT_FAILED;
    this.fail(
      new GameBuddiesClientError(code, `could not connect to ${this.url}: ${error.message}`, {
        reason: error.message,
      }),
    );
  }

  private handleDraining(socket: ClientSocket, notice: ServerDraining): void {
    this.listeners.draining.emit(notice);
    if (socket !== this.socket) return;
    const delayMs = Number.isFinite(notice.reconnectAfterMs) ? Math.max(0, notice.reconnectAfterMs) : 0;
    this.clearReconnectTimer();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // A fresh connection, which the load balancer sends to a server that is not draining.
      if (socket === this.socket) socket.connect();
    }, delayMs);
    this.setConnection(this.pendingOpen === null ? 'reconnecting' : 'connecting');
    socket.disconnect();
  }

  /** Sends a request on behalf of the caller: only while connected, so it never waits in Socket.IO's buffer. */
  private request<E extends RequestEvent>(event: E, payload: PayloadOf<E>): Promise<ResponseOf<E>> {
    const socket = this.socket;
    if (socket === null || this.connection !== 'connected') {
      return Promise.reject(
        new GameBuddiesClientError(
          ClientErrorCode.NOT_CONNECTED,
          `cannot send ${event}: the client is ${this.connection}`,
          {
            event,
            state: this.connection,
          },
        ),
      );
    }
    return this.send(socket, event, payload);
  }

  private send<E extends RequestEvent>(
    socket: ClientSocket,
    event: E,
    payload: PayloadOf<E>,
  ): Promise<ResponseOf<E>> {
    return new Promise<ResponseOf<E>>((resolve, reject) => {
      if (!socket.connected) {
        reject(
          new GameBuddiesClientError(ClientErrorCode.NOT_CONNECTED, `cannot send ${event}: not connected`, {
            event,
          }),
        );
        return;
      }
      const emitter = socket.timeout(this.requestTimeoutMs) as unknown as TimedEmitter;
      emitter.emit(event, payload, (error, response) => {
        if (error !== null) reject(this.unanswered(socket, event));
        else if (!isAck(response)) {
          reject(
            new GameBuddiesClientError(
              ClientErrorCode.INVALID_RESPONSE,
              `the answer to ${event} is not an acknowledgement`,
              { event },
            ),
          );
        } else if (response.ok) resolve(response.data as ResponseOf<E>);
        else reject(GameBuddiesClientError.fromServer(response.error));
      });
    });
  }

  /** Why a sent request got no answer: Socket.IO reports a timeout and a disconnection alike. */
  private unanswered(socket: ClientSocket, event: RequestEvent): GameBuddiesClientError {
    if (this.isClosed) return closedError();
    if (!socket.connected) {
      return new GameBuddiesClientError(
        ClientErrorCode.CONNECTION_LOST,
        `the connection dropped before ${event} was answered; it may or may not have been applied`,
        { event },
      );
    }
    return new GameBuddiesClientError(
      ClientErrorCode.REQUEST_TIMEOUT,
      `${event} was not answered within ${this.requestTimeoutMs} ms; it may or may not have been applied`,
      { event, timeoutMs: this.requestTimeoutMs },
    );
  }

  private enterRoom(snapshot: RoomSnapshot): RoomSnapshot<TView, TResult> {
    const typed = this.asSnapshot(snapshot);
    this.acceptSnapshot(typed, false);
    return typed;
  }

  /** Keeps `snapshot` unless it is older than the one held for the same room (pushes may arrive out of order). */
  private acceptSnapshot(snapshot: RoomSnapshot<TView, TResult>, isFresh: boolean): void {
    const held = this.snapshot;
    if (held !== null && held.code === snapshot.code) {
      if (snapshot.version < held.version || (snapshot.version === held.version && !isFresh)) return;
    }
    this.snapshot = snapshot;
    if (this.sessionInfo !== null && this.sessionInfo.roomCode !== snapshot.code) {
      this.sessionInfo = { ...this.sessionInfo, roomCode: snapshot.code };
    }
    this.listeners.state.emit(snapshot);
  }

  /**
   * A game change: the new view, phase, host and result replace those of the snapshot held for the room; an
   * update not newer than it (or for another room) is ignored.
   */
  private applyView(update: RoomViewUpdate): void {
    const held = this.snapshot;
    if (held === null || held.code !== update.code || update.version <= held.version) return;
    const typed = update as unknown as RoomViewUpdate<TView, TResult>;
    this.snapshot = { ...held, version: typed.version, phase: typed.phase, hostId: typed.hostId, result: typed.result ?? null, view: typed.view };
    this.listeners.state.emit(this.snapshot);
  }

  /**
   * A membership change: applied to the held snapshot's member list when it is newer than the snapshot (the
   * version stays: the `room:view` of the same change, when one follows, moves it), then passed on.
   */
  private applyMemberChange(change: MemberChange): void {
    const held = this.snapshot;
    if (held !== null && held.code === change.code && change.version > held.version) {
      const others = held.members.filter((member) => member.id !== change.member.id);
      const members = change.kind === 'left' ? others : held.members.some((m) => m.id === change.member.id)
        ? held.members.map((member) => (member.id === change.member.id ? change.member : member))
        : [...others, change.member];
      this.snapshot = { ...held, members };
      this.listeners.member.emit(change);
      this.listeners.state.emit(this.snapshot);
      return;
    }
    this.listeners.member.emit(change);
  }

  private forgetRoom(code: string | null): void {
    if (this.snapshot !== null && (code === null || this.snapshot.code === code)) this.snapshot = null;
    if (
      this.sessionInfo !== null &&
      this.sessionInfo.roomCode !== null &&
      (code === null || this.sessionInfo.roomCode === code)
    ) {
      this.sessionInfo = { ...this.sessionInfo, roomCode: null };
    }
  }

  private asSnapshot(snapshot: RoomSnapshot): RoomSnapshot<TView, TResult> {
    // The server sends the game's view as JSON; its shape is the caller's declaration, not checked here.
    return snapshot as unknown as RoomSnapshot<TView, TResult>;
  }

  /** Stops, after a failure nothing will repair: a pending connect rejects, else the error goes to onError. */
  private fail(error: GameBuddiesClientError): void {
    const pending = this.takePendingOpen();
    this.dropSocket();
    this.setConnection('disconnected');
    if (pending === null) this.listeners.error.emit(error);
    else pending.reject(error);
  }

  private takePendingOpen(): PendingOpen | null {
    const pending = this.pendingOpen;
    this.pendingOpen = null;
    return pending;
  }

  private dropSocket(): void {
    this.clearReconnectTimer();
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.generation++;
    socket.off();
    socket.io.off('reconnect_failed');
    // Rejects the requests still in flight (CONNECTION_LOST, or CLIENT_CLOSED after close()).
    socket.disconnect();
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer === undefined) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
    this.connection = state;
    this.listeners.connection.emit(state);
  }
}

function closedError(): GameBuddiesClientError {
  return new GameBuddiesClientError(ClientErrorCode.CLIENT_CLOSED, 'the client was closed');
}

function toClientError(error: unknown): GameBuddiesClientError {
  if (error instanceof GameBuddiesClientError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GameBuddiesClientError(WireErrorCode.INTERNAL_ERROR, message, undefined, { cause: error });
}

function isAck(value: unknown): value is Ack<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const ack = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } | null };
  if (ack.ok === true) return 'data' in value;
  return ack.ok === false && typeof ack.error?.code === 'string' && typeof ack.error.message === 'string';
}
