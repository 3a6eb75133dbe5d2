import { silentLogger, type Logger } from '@gamebuddies/core';
import { isRoomGone } from '../membership';
import type { NodePresence, PresenceEntry } from './node-presence';

/** How a {@link PresenceKeeper} is built. */
export interface PresenceKeeperOptions {
  presence: NodePresence;
  /** Marks a player disconnected in a room (the room host's `disconnect`). */
  markDisconnected: (code: string, playerId: string) => Promise<unknown>;
  /** This gateway's id; each start of it is a new presence node (`<nodeId>#<random>`), so a restart under the same id is not mistaken for the old process. */
  nodeId: string;
  /**
   * Called when this node finds it was declared dead and taken over (it was frozen longer than the ttl):
   * its players' presence must be recorded again and they must be marked connected again.
   */
  onRevived?: () => void;
  /** How long this node counts as alive after a heartbeat (default 15 s); it beats three times per period. */
  ttlMs?: number;
  logger?: Logger;
}

/**
 * Keeps this gateway's heartbeat and its players' presence, and cleans up after gateways that died: a
 * dead node's players are marked disconnected in their rooms (so their grace period runs and the others
 * see it), unless they are connected again on a live node.
 */
export class PresenceKeeper {
  private readonly presence: NodePresence;
  private readonly markDisconnected: (code: string, playerId: string) => Promise<unknown>;
  private readonly nodeId: string;
  private readonly ttlMs: number;
  private readonly logger: Logger;
  private readonly onRevived: () => void;
  private timer: NodeJS.Timeout | undefined;
  private beats = 0;

  constructor(options: PresenceKeeperOptions) {
    this.presence = options.presence;
    this.markDisconnected = options.markDisconnected;
    this.nodeId = `${options.nodeId}#${Math.random().toString(36).slice(2, 10)}`;
    this.onRevived = options.onRevived ?? (() => undefined);
    this.ttlMs = options.ttlMs ?? 15_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts beating (the first beat is sent before it resolves) and looking for dead nodes. */
  async start(): Promise<void> {
    await this.presence.heartbeat(this.nodeId, this.ttlMs);
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** Records a player connected here in a room. */
  track(entry: PresenceEntry): void {
    this.presence.add(this.nodeId, entry).catch((error: unknown) => this.logger.warn({ err: error, room: entry.code }, 'could not record a player as present'));
  }

  /** Forgets a player here. */
  untrack(entry: PresenceEntry): void {
    this.presence.remove(this.nodeId, entry).catch((error: unknown) => this.logger.warn({ err: error, room: entry.code }, 'could not forget a present player'));
  }

  /** Whether the player is connected in the room on any live node. */
  isPresent(entry: PresenceEntry): Promise<boolean> {
    return this.presence.isPresent(entry);
  }

  /** Stops beating; the node counts as dead after `graceMs`, and its players who did not come back are marked disconnected. */
  async stop(graceMs: number): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.presence.leave(this.nodeId, graceMs).catch((error: unknown) => this.logger.warn({ err: error }, 'could not say goodbye to the presence store'));
  }

  /** One round: beat, and take over dead nodes (exposed for tests). */
  async tick(): Promise<void> {
    try {
      const wasKnown = await this.presence.heartbeat(this.nodeId, this.ttlMs);
      if (!wasKnown && this.timer !== undefined) {
        this.logger.warn({}, 'this gateway was taken for dead (frozen?): recording its players again');
        this.onRevived();
      }
      if (++this.beats % 2 === 0) await this.reapDeadNodes();
    } catch (error) {
      this.logger.warn({ err: error }, 'presence upkeep failed; will retry');
    }
  }

  private async reapDeadNodes(): Promise<void> {
    for (const { nodeId, entries } of await this.presence.claimDead()) {
      this.logger.warn({ deadNode: nodeId, players: entries.length }, 'a gateway died: marking its players disconnected');
      for (const entry of entries) {
        if (await this.presence.isPresent(entry)) continue;
        await this.markDisconnected(entry.code, entry.playerId).catch((error: unknown) => {
          if (!isRoomGone(error)) this.logger.warn({ err: error, room: entry.code, player: entry.playerId }, 'could not mark a player of a dead gateway disconnected');
        });
      }
    }
  }
}
