import { systemClock, type Clock } from '@gamebuddies/core';
import type { NodePresence, PresenceEntry } from './node-presence';

const keyOf = (entry: PresenceEntry): string => `${entry.code}\u0000${entry.playerId}`;

/**
 * Presence in one process's memory: for one gateway (where a dead node takes its players with it) and for
 * tests. Pass the same instance to gateways in one process to share it.
 */
export class MemoryNodePresence implements NodePresence {
  private readonly alive = new Map<string, number>();
  private readonly entries = new Map<string, Map<string, PresenceEntry>>();

  constructor(private readonly clock: Clock = systemClock) {}

  async heartbeat(nodeId: string, ttlMs: number): Promise<boolean> {
    const wasKnown = this.alive.has(nodeId);
    this.alive.set(nodeId, this.clock.now() + ttlMs);
    return wasKnown;
  }

  async add(nodeId: string, entry: PresenceEntry): Promise<void> {
    let set = this.entries.get(nodeId);
    if (set === undefined) this.entries.set(nodeId, (set = new Map()));
    set.set(keyOf(entry), { ...entry });
  }

  async remove(nodeId: string, entry: PresenceEntry): Promise<void> {
    this.entries.get(nodeId)?.delete(keyOf(entry));
  }

  async isPresent(entry: PresenceEntry): Promise<boolean> {
    const now = this.clock.now();
    for (const [nodeId, until] of this.alive) if (until > now && this.entries.get(nodeId)?.has(keyOf(entry))) return true;
    return false;
  }

  async claimDead(): Promise<{ nodeId: string; entries: PresenceEntry[] }[]> {
    const now = this.clock.now();
    const dead = [...this.alive].filter(([, until]) => until <= now).map(([nodeId]) => nodeId);
    return dead.map((nodeId) => {
      this.alive.delete(nodeId);
      const entries = [...(this.entries.get(nodeId)?.values() ?? [])];
      this.entries.delete(nodeId);
      return { nodeId, entries };
    });
  }

  async leave(nodeId: string, graceMs: number): Promise<void> {
    this.alive.set(nodeId, this.clock.now() + graceMs);
  }
}
