import type { JsonObject } from '@gamebuddies/core';
import type { RoomViewUpdate } from '@gamebuddies/protocol';
import { AckTimeoutError, ConnectError, DisconnectedError, type BotConnection } from '../transport';
import type { LoadRecorder } from '../stats/load-recorder';
import type { BotGameRules, GameMove, GamePlayer } from './game-player';
import { isRecord } from './game-player';
import type { RoomPlan } from './room-plan';

/** How a bot is set up. */
export interface BotOptions {
  /** Display name (`session:open`). */
  name: string;
  connection: BotConnection;
  gameId: string;
  rules: BotGameRules;
  /** The options the room is created with (creators send them; every bot's player reads them). */
  roomOptions: JsonObject;
  room: RoomPlan;
  recorder: LoadRecorder;
  /** Mean think time between moves (each wait jittered ±25%). */
  thinkMs: number;
  /** An acknowledgement later than this counts as `timeout`. */
  actionTimeoutMs: number;
  /** Whether the host starts a new game when one ends. */
  restartGames: boolean;
}

/** What one bot did, for the run's caller. */
export interface BotSummary {
  name: string;
  playerId: string | null;
  roomCode: string | null;
  isCreator: boolean;
  /** Whether it got a seat (created or joined its room). */
  isSeated: boolean;
  isConnected: boolean;
  /** Games of its room it saw end. */
  gamesFinished: number;
  /** Moves the server accepted. */
  movesAccepted: number;
  /** Errors by code (the same codes the run counts). */
  errors: Record<string, number>;
}

/** A success or failure acknowledgement, read off the wire. */
interface AckShape {
  ok?: unknown;
  data?: unknown;
  error?: { code?: unknown; details?: unknown };
}

/** A `room:view` or `room:state` push as read off the wire: the fields both share, each still to be checked. */
type ViewPush = { [K in keyof RoomViewUpdate]?: unknown };

/** Thrown inside a bot's setup when an acknowledgement refused the request (already counted). */
class RefusedError extends Error {}

const NO_VERSION = -1;

/** The error code of an acknowledgement: `details.reason` for ACTION_FAILED when present, else `error.code`. */
export function errorCodeOf(ack: AckShape): string {
  const code = typeof ack.error?.code === 'string' ? ack.error.code : 'UNKNOWN';
  const details = ack.error?.details;
  if (code === 'ACTION_FAILED' && isRecord(details) && typeof details['reason'] === 'string') return details['reason'];
  return code;
}

/** `ms` jittered by ±25%. */
function jitter(ms: number): number {
  return ms * (0.75 + Math.random() * 0.5);
}

/**
 * One player: connects, opens a session, creates or joins its room (the creator starts the game once the room
 * is filled), then plays whenever its game offers a move, one move in flight at a time. It measures connect
 * time, action-to-ack and action-to-own-view into the run's recorder.
 */
export class Bot {
  /** Resolves once the bot is seated in its room or gave up (never rejects). */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private readonly player: GamePlayer;
  private readonly connection: BotConnection;
  private playerId: string | null = null;
  private roomCode: string | null = null;
  private hostId: string | null = null;
  private isSeated = false;
  private isStopped = false;
  private wasConnected = false;
  private phase: string | null = null;
  private view: unknown = null;
  private viewVersion = NO_VERSION;
  /** Act only on a view at least this new (the version the last accepted move produced). */
  private waitVersion = NO_VERSION;
  private inFlight: GameMove | null = null;
  private thinkTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Versions and arrival times of the view pushes since the move in flight was sent. */
  private readonly pushVersions: number[] = [];
  private readonly pushTimes: number[] = [];
  /** An accepted move whose own view has not arrived yet: its version, and when it was sent. */
  private awaitedVersion = NO_VERSION;
  private awaitedSentAt = 0;
  private gamesFinished = 0;
  private movesAccepted = 0;
  private readonly errors: Record<string, number> = {};

  constructor(private readonly options: BotOptions) {
    this.connection = options.connection;
    this.player = options.rules.createPlayer(options.roomOptions);
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.handleViewPush = this.handleViewPush.bind(this);
    this.fireThink = this.fireThink.bind(this);
    this.connection.on('room:view', this.handleViewPush);
    this.connection.on('room:state', this.handleViewPush);
    this.connection.onClose((reason) => this.handleClose(reason));
  }

  /** Runs the bot's setup: connect, session, room (and the start, for a creator). Never throws. */
  async start(isCreator: boolean): Promise<void> {
    try {
      await this.setUp(isCreator);
    } catch (error) {
      if (!(error instanceof RefusedError) && !(error instanceof DisconnectedError)) this.countError(this.classify(error));
      if (isCreator) this.options.room.setCode(null);
    } finally {
      if (!this.isSeated) this.options.room.settle(false);
      this.resolveReady();
    }
    if (isCreator && this.isSeated) await this.startWhenFilled();
  }

  /** Stops playing and closes the connection (not counted as a drop). */
  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    this.clearTimers();
    this.connection.close();
  }

  /** What the bot did so far. */
  summary(isCreator: boolean): BotSummary {
    return {
      name: this.options.name,
      playerId: this.playerId,
      roomCode: this.roomCode,
      isCreator,
      isSeated: this.isSeated,
      isConnected: this.connection.isConnected,
      gamesFinished: this.gamesFinished,
      movesAccepted: this.movesAccepted,
      errors: { ...this.errors },
    };
  }

  private async setUp(isCreator: boolean): Promise<void> {
    const { connection, recorder, room } = this.options;
    const began = performance.now();
    await connection.connect();
    this.wasConnected = true;
    recorder.connected++;
    const session = await this.request('session:open', { name: this.options.name });
    recorder.recordConnect(performance.now() - began);
    this.playerId = isRecord(session) && typeof session['playerId'] === 'string' ? session['playerId'] : null;
    if (isCreator) {
      const snapshot = await this.request('room:create', { gameId: this.options.gameId, options: this.options.roomOptions });
      this.applySnapshot(snapshot);
      room.setCode(this.roomCode);
    } else {
      const code = await room.roomCode();
      if (code === null || this.isStopped) return;
      const snapshot = await this.request('room:join', { code });
      this.applySnapshot(snapshot);
    }
    this.isSeated = true;
    room.settle(true);
  }

  private async startWhenFilled(): Promise<void> {
    const { room, rules } = this.options;
    await room.whenFilled();
    if (this.isStopped || room.seated < rules.minPlayers) return;
    await this.startGame();
  }

  private async startGame(): Promise<void> {
    try {
      await this.request('room:start', {});
    } catch (error) {
      if (!(error instanceof RefusedError) && !(error instanceof DisconnectedError)) this.countError(this.classify(error));
    }
  }

  /** Sends a setup request. @throws RefusedError (counted) when refused; the transport's errors as they come. */
  private async request(event: string, data: unknown): Promise<unknown> {
    const ack = (await this.connection.emitWithAck(event, data, this.options.actionTimeoutMs)) as AckShape;
    if (ack.ok === true) return ack.data;
    this.countError(errorCodeOf(ack));
    throw new RefusedError(event);
  }

  private applySnapshot(snapshot: unknown): void {
    if (!isRecord(snapshot)) return;
    if (typeof snapshot['code'] === 'string') this.roomCode = snapshot['code'];
    this.handleViewPush(snapshot);
  }

  /** A `room:view` or `room:state` push (or a snapshot acknowledgement): the bot's newest picture of its game. */
  private handleViewPush(data: unknown): void {
    const push = data as ViewPush;
    const version = typeof push.version === 'number' ? push.version : NO_VERSION;
    if (version <= this.viewVersion) return;
    const now = performance.now();
    this.viewVersion = version;
    this.view = push.view ?? null;
    if (typeof push.hostId === 'string' || push.hostId === null) this.hostId = push.hostId;
    if (this.inFlight !== null) {
      this.pushVersions.push(version);
      this.pushTimes.push(now);
    } else if (this.awaitedVersion !== NO_VERSION && version >= this.awaitedVersion) {
      this.options.recorder.recordOwnView(now - this.awaitedSentAt);
      this.awaitedVersion = NO_VERSION;
    }
    const phase = typeof push.phase === 'string' ? push.phase : this.phase;
    if (phase !== this.phase) this.changePhase(phase);
    this.maybeAct();
  }

  private changePhase(phase: string | null): void {
    const previous = this.phase;
    this.phase = phase;
    if (phase === 'playing') this.player.startGame?.();
    if (phase === 'ended' && previous !== null) {
      this.gamesFinished++;
      if (this.options.restartGames && this.hostId === this.playerId && !this.isStopped) {
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (!this.isStopped) void this.startGame();
        }, jitter(this.options.thinkMs));
      }
    }
  }

  /** Thinks about the next move when the game offers one and nothing is pending. */
  private maybeAct(): void {
    if (this.isStopped || this.inFlight !== null || this.thinkTimer !== null || this.phase !== 'playing') return;
    if (this.viewVersion < this.waitVersion || this.playerId === null) return;
    if (this.player.nextMove(this.view, this.playerId) === null) return;
    this.thinkTimer = setTimeout(this.fireThink, jitter(this.options.thinkMs));
  }

  private fireThink(): void {
    this.thinkTimer = null;
    if (this.isStopped || this.phase !== 'playing' || this.playerId === null || this.viewVersion < this.waitVersion) return;
    const move = this.player.nextMove(this.view, this.playerId);
    if (move !== null) void this.send(move);
  }

  private async send(move: GameMove): Promise<void> {
    const { recorder } = this.options;
    this.inFlight = move;
    this.pushVersions.length = 0;
    this.pushTimes.length = 0;
    this.awaitedVersion = NO_VERSION;
    const sentAt = performance.now();
    let isAccepted = false;
    try {
      const ack = (await this.connection.emitWithAck('game:act', move, this.options.actionTimeoutMs)) as AckShape;
      const ackAt = performance.now();
      recorder.recordAck(ackAt - sentAt);
      if (ack.ok === true) {
        isAccepted = true;
        this.movesAccepted++;
        const version = isRecord(ack.data) && typeof ack.data['version'] === 'number' ? ack.data['version'] : NO_VERSION;
        this.waitVersion = version;
        this.measureOwnView(version, sentAt);
      } else {
        this.countError(errorCodeOf(ack));
      }
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.countError(this.classify(error));
    } finally {
      this.inFlight = null;
    }
    this.player.acknowledged?.(move, isAccepted);
    this.maybeAct();
  }

  /** The own view is the first push at or past the acknowledged version: often already here, else awaited. */
  private measureOwnView(version: number, sentAt: number): void {
    for (let i = 0; i < this.pushVersions.length; i++) {
      if ((this.pushVersions[i] ?? NO_VERSION) >= version) {
        this.options.recorder.recordOwnView((this.pushTimes[i] ?? sentAt) - sentAt);
        return;
      }
    }
    this.awaitedVersion = version;
    this.awaitedSentAt = sentAt;
  }

  private handleClose(_reason: string): void {
    if (this.wasConnected) this.options.recorder.connected--;
    this.clearTimers();
    if (this.isStopped || !this.wasConnected) return;
    this.isStopped = true;
    this.errors['disconnect'] = (this.errors['disconnect'] ?? 0) + 1;
    this.options.recorder.recordDrop();
  }

  private classify(error: unknown): string {
    if (error instanceof ConnectError) return error.kind;
    if (error instanceof AckTimeoutError) return 'timeout';
    return 'client_error';
  }

  private countError(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.options.recorder.recordError(code);
  }

  private clearTimers(): void {
    if (this.thinkTimer !== null) clearTimeout(this.thinkTimer);
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.thinkTimer = null;
    this.restartTimer = null;
  }
}
