import { InvalidArgumentError, type GameBuddiesError, type JsonValue } from '@gamebuddies/core';
import type { AnyGameDefinition, GameResultOf, GameStateOf, GameViewOf } from '../define-game';
import type { EventMessage, SyncMessage } from '../messages';
import { exportReplay, replayRoom } from '../replay';
import type { RoomInput } from '../room-input';
import { createGameRuntime, type AppliedStep, type GameRuntime, type RoomMessageOf, type RoomStateOf, type StepResult } from '../runtime';
import { createFakeClock, type FakeClock } from './fake-clock';
import { checkMessageForSecret, findSecrets, type SecretGuard } from './secrets';

/** How a test room is set up. */
export interface TestRoomOptions {
  /** How many players join (ids `p1`, `p2`, ...), or their ids. Default: the game's `minPlayers`. */
  players?: number | readonly string[];
  /** How many spectators join after the players (ids `s1`, ...), or their ids. Default 0. */
  spectators?: number | readonly string[];
  /** The room's options (validated by the game's schema). */
  options?: unknown;
  /** The random seed (default `test-seed`). */
  seed?: string;
  /** The fake clock's start time, or a clock to share (default: a new fake clock). */
  clock?: number | FakeClock;
  /** Whether the host (the first player) starts the game at once (default true). */
  start?: boolean;
  /** Whether the room records its inputs so that {@link TestRoom.replay} works (default true). */
  recordsLog?: boolean;
}

/** The most timer ticks one {@link TestRoom.advance} may take before it assumes a timer loop. */
const MAX_TICKS_PER_ADVANCE = 10_000;

/**
 * A room of simulated members on a fake clock, driven through the real runtime: what each member receives is
 * exactly what the gateway would send them.
 */
export class TestRoom<G extends AnyGameDefinition> {
  /** The fake clock the room runs on. */
  readonly clock: FakeClock;
  /** Contained errors (failed timers, hooks) reported by the runtime so far. */
  readonly warnings: GameBuddiesError[] = [];
  private runtime: GameRuntime<G>;
  private current: RoomStateOf<G>;
  private readonly inboxes = new Map<string, RoomMessageOf<G>[]>();
  private readonly guards: SecretGuard<GameStateOf<G>>[] = [];

  /** Wraps an existing state; most tests use {@link createTestRoom} or {@link restoreTestRoom} instead. */
  constructor(
    readonly game: G,
    state: RoomStateOf<G>,
    clock: FakeClock,
  ) {
    this.clock = clock;
    this.runtime = createGameRuntime(game, { clock });
    this.current = state;
  }

  /** The room's runtime state, as the gateway would store it. */
  get state(): RoomStateOf<G> {
    return this.current;
  }

  /** The game's own state. @throws InvalidArgumentError before the first start. */
  get gameState(): GameStateOf<G> {
    if (this.current.game === null) throw new InvalidArgumentError('The game has not started yet');
    return this.current.game;
  }

  /** The ids of the members with a seat, in join order. */
  get players(): string[] {
    return this.current.members.filter((member) => member.role === 'player').map((member) => member.id);
  }

  /** The host's id, or null. */
  get hostId(): string | null {
    return this.current.hostId;
  }

  /** Applies an input and delivers its messages. @throws the refusal's error when the input is refused. */
  apply(input: RoomInput): AppliedStep<G> {
    const result = this.tryApply(input);
    if (!result.isApplied) throw result.error;
    return result;
  }

  /** Applies an input and delivers its messages; a refusal is returned, not thrown. */
  tryApply(input: RoomInput): StepResult<G> {
    const result = this.runtime.apply(this.current, input);
    if (result.isApplied) {
      this.current = result.state;
      this.warnings.push(...result.warnings);
      this.deliver(result.messages);
    }
    return result;
  }

  /** `playerId` sends `action`. @throws the refusal's error (e.g. NOT_YOUR_TURN). */
  act(playerId: string, action: string, payload?: JsonValue): AppliedStep<G> {
    return this.apply(actionInput(playerId, action, payload));
  }

  /** `playerId` sends `action`; returns the refusal's error, or null when the action was applied. */
  tryAct(playerId: string, action: string, payload?: JsonValue): GameBuddiesError | null {
    const result = this.tryApply(actionInput(playerId, action, payload));
    return result.isApplied ? null : result.error;
  }

  /** A new member joins (name defaults to the id). @throws e.g. ROOM_FULL. */
  join(playerId: string, options: { name?: string; asSpectator?: boolean } = {}): AppliedStep<G> {
    return this.apply({ type: 'join', playerId, name: options.name ?? playerId, ...(options.asSpectator === true ? { asSpectator: true } : {}) });
  }

  /** A member leaves for good. */
  leave(playerId: string): AppliedStep<G> {
    return this.apply({ type: 'leave', playerId });
  }

  /** A member's connection drops. */
  disconnect(playerId: string): AppliedStep<G> {
    return this.apply({ type: 'disconnect', playerId });
  }

  /** A member's connection comes back. */
  reconnect(playerId: string): AppliedStep<G> {
    return this.apply({ type: 'reconnect', playerId });
  }

  /** The host (by default) starts the game. */
  start(playerId = this.current.hostId ?? ''): AppliedStep<G> {
    return this.apply({ type: 'start', playerId });
  }

  /** The host (by default) kicks `targetId`. */
  kick(targetId: string, playerId = this.current.hostId ?? ''): AppliedStep<G> {
    return this.apply({ type: 'kick', playerId, targetId });
  }

  /**
   * Moves the clock forward by `ms`, firing each timer at its due time on the way (as the gateway's real
   * timers would).
   * @throws InvalidArgumentError when timers keep rescheduling without time passing.
   */
  advance(ms: number): void {
    const target = this.clock.now() + ms;
    for (let ticks = 0; ; ticks++) {
      const next = this.runtime.nextTimerAt(this.current);
      if (next === null || next > target) break;
      if (ticks === MAX_TICKS_PER_ADVANCE) throw new InvalidArgumentError(`Timers fired ${ticks} times without reaching ${target}`);
      this.clock.set(Math.max(this.clock.now(), next));
      this.apply({ type: 'tick' });
    }
    this.clock.set(target);
  }

  /** Moves the clock to the next timer and fires it. Returns false when no timer is scheduled. */
  advanceToNextTimer(): boolean {
    const next = this.runtime.nextTimerAt(this.current);
    if (next === null) return false;
    this.advance(Math.max(0, next - this.clock.now()));
    return true;
  }

  /** Everything `playerId` received, in order. */
  messages(playerId: string): RoomMessageOf<G>[] {
    return [...(this.inboxes.get(playerId) ?? [])];
  }

  /** The last sync `playerId` received. @throws InvalidArgumentError when they received none. */
  lastSync(playerId: string): SyncMessage<GameViewOf<G>, GameResultOf<G>> {
    const sync = this.messages(playerId).findLast((message) => message.type === 'sync');
    if (sync === undefined) throw new InvalidArgumentError(`${playerId} has received no sync`);
    return sync as SyncMessage<GameViewOf<G>, GameResultOf<G>>;
  }

  /** The game as `playerId` last saw it (the view of their last sync). */
  view(playerId: string): GameViewOf<G> {
    const { view } = this.lastSync(playerId);
    if (view === null) throw new InvalidArgumentError(`${playerId} has no game view yet (the game has not started)`);
    return view;
  }

  /** The events `playerId` received, optionally only those named `name`. */
  events(playerId: string, name?: string): EventMessage[] {
    return this.messages(playerId).filter((message): message is EventMessage => message.type === 'event' && (name === undefined || message.name === name));
  }

  /** Forgets every message received so far. */
  clearInboxes(): void {
    this.inboxes.clear();
  }

  /**
   * From now on, fails the step (with SecretLeakError) in which `guard`'s secret reaches a member who may not
   * see it. The last sync of each member is checked at once.
   */
  guardSecret(guard: SecretGuard<GameStateOf<G>>): void {
    this.guards.push(guard);
    for (const inbox of this.inboxes.values()) {
      const last = inbox.findLast((message) => message.type === 'sync');
      if (last !== undefined) this.checkSecrets([last]);
    }
  }

  /** The state as the room store would hold it: a JSON string. */
  serialize(): string {
    return JSON.stringify(this.current);
  }

  /**
   * Simulates a failover: the state goes through JSON into a fresh runtime (another server), and every
   * connected member receives a fresh sync from it, as after reconnecting there.
   */
  failover(): void {
    this.runtime = createGameRuntime(this.game, { clock: this.clock });
    this.current = this.runtime.parseState(JSON.parse(this.serialize()));
    const syncs = this.current.members.filter((member) => member.isConnected).map((member) => this.runtime.syncFor(this.current, member.id));
    this.deliver(syncs);
  }

  /** Rebuilds the room from its recorded log: equal to {@link state} when the game is deterministic. */
  replay(): RoomStateOf<G> {
    return replayRoom(this.game, exportReplay(this.current));
  }

  private deliver(messages: readonly RoomMessageOf<G>[]): void {
    this.checkSecrets(messages);
    for (const message of messages) {
      const inbox = this.inboxes.get(message.to) ?? [];
      inbox.push(message);
      this.inboxes.set(message.to, inbox);
    }
  }

  private checkSecrets(messages: readonly RoomMessageOf<G>[]): void {
    const state = this.current.game;
    if (state === null) return;
    for (const guard of this.guards) {
      for (const match of findSecrets(state, guard.path)) {
        const audience = typeof guard.visibleTo === 'function' ? guard.visibleTo(state, match) : (guard.visibleTo ?? []);
        for (const message of messages) checkMessageForSecret(message as RoomMessageOf<AnyGameDefinition>, match, audience);
      }
    }
  }
}

/**
 * A room of `game` with simulated members on a fake clock: players `p1`..`pN` (the host is `p1`), then
 * spectators `s1`..; started by the host unless `start: false`.
 * @throws the runtime's error when the options are invalid or a join or the start is refused.
 */
export function createTestRoom<G extends AnyGameDefinition>(game: G, options: TestRoomOptions = {}): TestRoom<G> {
  const clock = typeof options.clock === 'object' ? options.clock : createFakeClock(options.clock);
  const runtime = createGameRuntime(game, { clock });
  const state = runtime.createRoom({ options: options.options, seed: options.seed ?? 'test-seed', recordsLog: options.recordsLog ?? true });
  const room = new TestRoom(game, state, clock);
  for (const id of memberIds(options.players ?? game.minPlayers, 'p')) room.join(id);
  for (const id of memberIds(options.spectators ?? 0, 's')) room.join(id, { asSpectator: true });
  if (options.start ?? true) room.start();
  return room;
}

/**
 * A test room continuing from a serialised state (e.g. {@link TestRoom.serialize} of another room), as a new
 * server would after a failover. Nobody has received anything yet.
 * @throws InvalidRoomStateError when the state cannot be read.
 */
export function restoreTestRoom<G extends AnyGameDefinition>(game: G, serialized: string, clock: FakeClock): TestRoom<G> {
  const state = createGameRuntime(game, { clock }).parseState(JSON.parse(serialized));
  return new TestRoom(game, state, clock);
}

function memberIds(spec: number | readonly string[], prefix: string): readonly string[] {
  return typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `${prefix}${i + 1}`) : spec;
}

function actionInput(playerId: string, action: string, payload: JsonValue | undefined): RoomInput {
  return payload === undefined ? { type: 'action', playerId, action } : { type: 'action', playerId, action, payload };
}
