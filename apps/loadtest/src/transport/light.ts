import WebSocket, { type RawData } from 'ws';
import {
  AckTimeoutError,
  ConnectError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DisconnectedError,
  socketIoWebSocketUrl,
  type BotConnection,
  type BotConnectionOptions,
  type CloseHandler,
  type PushHandler,
} from './bot-connection';

/** An acknowledgement the bot waits for. */
interface PendingAck {
  event: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** What the Engine.IO open packet (`0{...}`) says. */
interface OpenPacket {
  pingInterval?: number;
  pingTimeout?: number;
}

const CLIENT_CLOSE = 'io client disconnect';

/**
 * A Socket.IO v5 client over one raw WebSocket (Engine.IO v4, no polling, no binary): a few hundred bytes of
 * state per bot instead of socket.io-client's emitters, parsers and reconnection machinery, so one process can
 * hold tens of thousands of bots. Each received frame costs one `toString` and at most one `JSON.parse`; the
 * message handler is bound once, not per frame.
 */
export class LightConnection implements BotConnection {
  framesReceived = 0;
  bytesReceived = 0;
  eventsReceived = 0;
  private ws: WebSocket | null = null;
  private isOpen = false;
  private isClosed = false;
  private nextAckId = 0;
  private readonly pending = new Map<number, PendingAck>();
  private readonly handlers = new Map<string, PushHandler>();
  private closeHandler: CloseHandler | null = null;
  private pingWatchdog: NodeJS.Timeout | null = null;
  private pingDeadlineMs = 0;
  private connecting: { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly options: BotConnectionOptions) {
    this.handleMessage = this.handleMessage.bind(this);
    this.handleClose = this.handleClose.bind(this);
    this.handleError = this.handleError.bind(this);
    this.handlePingTimeout = this.handlePingTimeout.bind(this);
  }

  get isConnected(): boolean {
    return this.isOpen && !this.isClosed;
  }

  connect(): Promise<void> {
    if (this.ws !== null) return Promise.reject(new ConnectError('connect() was already called', 'connect_error'));
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.failConnect(new ConnectError(`no connection within ${timeoutMs} ms`, 'timeout')), timeoutMs);
      this.connecting = { resolve, reject, timer };
      const ws = new WebSocket(socketIoWebSocketUrl(this.options.url), { perMessageDeflate: false });
      this.ws = ws;
      ws.on('message', this.handleMessage);
      ws.on('close', this.handleClose);
      ws.on('error', this.handleError);
    });
  }

  emitWithAck(event: string, data: unknown, timeoutMs: number): Promise<unknown> {
    const ws = this.ws;
    if (ws === null || !this.isConnected) return Promise.reject(new DisconnectedError('not connected'));
    const id = this.nextAckId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AckTimeoutError(event, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { event, resolve, reject, timer });
      ws.send(`42${id}${JSON.stringify([event, data])}`);
    });
  }

  on(event: string, handler: PushHandler): void {
    this.handlers.set(event, handler);
  }

  onClose(handler: CloseHandler): void {
    this.closeHandler = handler;
  }

  close(): void {
    this.finish(CLIENT_CLOSE);
  }

  private handleMessage(data: RawData, isBinary: boolean): void {
    this.framesReceived++;
    const bytes = Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength;
    this.bytesReceived += bytes;
    if (isBinary) return; // no binary events in this protocol
    const text = data.toString();
    switch (text.charCodeAt(0)) {
      case 0x32: // '2' ping
        this.ws?.send('3');
        this.pingWatchdog?.refresh();
        return;
      case 0x34: // '4' Socket.IO packet
        this.handleSocketIoPacket(text);
        return;
      case 0x30: // '0' Engine.IO open
        this.handleOpen(text);
        return;
      case 0x31: // '1' Engine.IO close
        this.finish('transport close');
        return;
      default:
        return; // noop (6) and anything else
    }
  }

  private handleOpen(text: string): void {
    const open = JSON.parse(text.slice(1)) as OpenPacket;
    this.pingDeadlineMs = (open.pingInterval ?? 25_000) + (open.pingTimeout ?? 20_000);
    this.pingWatchdog = setTimeout(this.handlePingTimeout, this.pingDeadlineMs);
    this.pingWatchdog.unref();
    const token = this.options.token;
    this.ws?.send(token === undefined ? '40' : `40${JSON.stringify({ token })}`);
  }

  private handleSocketIoPacket(text: string): void {
    const type = text.charCodeAt(1);
    let i = 2;
    if (text.charCodeAt(i) === 0x2f) {
      // '/nsp,' prefix: only the default namespace is used, so a frame for another one is ignored
      return;
    }
    let id = -1;
    for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) id = (id === -1 ? 0 : id * 10) + (c - 0x30);
    switch (type) {
      case 0x32: {
        // '2' EVENT: [name, data]
        const args = JSON.parse(text.slice(i)) as unknown[];
        this.eventsReceived++;
        const handler = this.handlers.get(args[0] as string);
        if (handler !== undefined) handler(args[1]);
        return;
      }
      case 0x33: {
        // '3' ACK: [response]
        const entry = this.pending.get(id);
        if (entry === undefined) return;
        this.pending.delete(id);
        clearTimeout(entry.timer);
        entry.resolve((JSON.parse(text.slice(i)) as unknown[])[0]);
        return;
      }
      case 0x30: // '0' CONNECT answered
        this.isOpen = true;
        if (this.connecting !== null) {
          clearTimeout(this.connecting.timer);
          this.connecting.resolve();
          this.connecting = null;
        }
        return;
      case 0x34: {
        // '4' CONNECT_ERROR: { message }
        const body = JSON.parse(text.slice(i)) as { message?: unknown };
        this.failConnect(new ConnectError(typeof body.message === 'string' ? body.message : 'connect_error', 'connect_error'));
        return;
      }
      case 0x31: // '1' DISCONNECT by the server
        this.finish('io server disconnect');
        return;
      default:
        return;
    }
  }

  private handleClose(): void {
    this.finish('transport close');
  }

  private handleError(error: Error): void {
    if (this.connecting !== null) this.failConnect(new ConnectError(error.message, 'connect_error'));
    else this.finish('transport error');
  }

  private handlePingTimeout(): void {
    this.finish('ping timeout');
  }

  private failConnect(error: ConnectError): void {
    const connecting = this.connecting;
    if (connecting === null) return;
    this.connecting = null;
    clearTimeout(connecting.timer);
    connecting.reject(error);
    this.finish(error.kind === 'timeout' ? 'connect timeout' : 'connect_error', false);
  }

  /** Closes once: fails pending work, closes the socket, tells the close handler (if it was connected). */
  private finish(reason: string, notify = true): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.pingWatchdog !== null) clearTimeout(this.pingWatchdog);
    if (this.connecting !== null) {
      const connecting = this.connecting;
      this.connecting = null;
      clearTimeout(connecting.timer);
      connecting.reject(new ConnectError(`closed before connecting: ${reason}`, 'connect_error'));
      notify = false;
    }
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new DisconnectedError(reason));
    }
    this.pending.clear();
    const ws = this.ws;
    if (ws !== null && ws.readyState !== WebSocket.CLOSED) {
      // Tell the server the namespace is left before the socket goes, as socket.io-client does.
      if (reason === CLIENT_CLOSE && ws.readyState === WebSocket.OPEN) ws.send('41');
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close();
    }
    if (notify && this.closeHandler !== null) this.closeHandler(reason);
  }
}

/** Opens a {@link LightConnection}. */
export function createLightConnection(options: BotConnectionOptions): BotConnection {
  return new LightConnection(options);
}
