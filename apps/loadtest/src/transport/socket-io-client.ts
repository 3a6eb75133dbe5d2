import { Buffer } from 'node:buffer';
import { io, type Socket } from 'socket.io-client';
import {
  AckTimeoutError,
  ConnectError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DisconnectedError,
  type BotConnection,
  type BotConnectionOptions,
  type CloseHandler,
  type PushHandler,
} from './bot-connection';

/** An Engine.IO packet as engine.io-client hands it to `packet` listeners. */
interface EnginePacket {
  type: string;
  data?: unknown;
}

/**
 * A bot connection over the official socket.io-client (WebSocket only, no reconnection): what a real browser
 * or Node client pays per message, parsers and emitters included. Heavier than the light transport, so it
 * suits runs of a few thousand bots and checking that the light one measures the same thing.
 */
export class SocketIoClientConnection implements BotConnection {
  framesReceived = 0;
  bytesReceived = 0;
  eventsReceived = 0;
  private readonly socket: Socket;
  private closeHandler: CloseHandler | null = null;
  private hasConnected = false;
  private isClosed = false;

  constructor(private readonly options: BotConnectionOptions) {
    this.socket = io(options.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
      timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      auth: options.token === undefined ? {} : { token: options.token },
    });
    this.socket.io.on('open', () => {
      this.socket.io.engine.on('packet', (packet: EnginePacket) => {
        this.framesReceived++;
        this.bytesReceived += 1 + (typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : 0);
      });
    });
    this.socket.onAny(() => {
      this.eventsReceived++;
    });
    this.socket.on('disconnect', (reason) => {
      if (this.isClosed) return;
      this.isClosed = true;
      this.closeHandler?.(reason);
    });
  }

  get isConnected(): boolean {
    return this.socket.connected && !this.isClosed;
  }

  connect(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new ConnectError(`no connection within ${timeoutMs} ms`, 'timeout')), timeoutMs);
      const fail = (error: ConnectError): void => {
        clearTimeout(timer);
        this.socket.off('connect', succeed);
        this.isClosed = true;
        this.socket.disconnect();
        reject(error);
      };
      const succeed = (): void => {
        clearTimeout(timer);
        this.socket.off('connect_error', refused);
        this.hasConnected = true;
        resolve();
      };
      const refused = (error: Error): void => fail(new ConnectError(error.message, 'connect_error'));
      this.socket.once('connect', succeed);
      this.socket.once('connect_error', refused);
      this.socket.connect();
    });
  }

  async emitWithAck(event: string, data: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.isConnected) throw new DisconnectedError('not connected');
    try {
      return (await this.socket.timeout(timeoutMs).emitWithAck(event, data)) as unknown;
    } catch (error) {
      if (!this.isConnected) throw new DisconnectedError(this.hasConnected ? 'closed' : 'not connected');
      throw error instanceof Error && /timed out/.test(error.message) ? new AckTimeoutError(event, timeoutMs) : error;
    }
  }

  on(event: string, handler: PushHandler): void {
    this.socket.off(event);
    this.socket.on(event, handler);
  }

  onClose(handler: CloseHandler): void {
    this.closeHandler = handler;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.disconnect();
    this.closeHandler?.('io client disconnect');
  }
}

/** Opens a {@link SocketIoClientConnection}. */
export function createSocketIoClientConnection(options: BotConnectionOptions): BotConnection {
  return new SocketIoClientConnection(options);
}
