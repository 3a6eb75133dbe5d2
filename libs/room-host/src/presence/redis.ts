import type { RedisClient } from '@gamebuddies/redis-connection';
import type { NodePresence, PresenceEntry } from './node-presence';

const SEPARATOR = '\u0000';
const keyOf = (entry: PresenceEntry): string => `${entry.code}${SEPARATOR}${entry.playerId}`;

/**
 * Presence shared through Redis. Keys: `<prefix>nodes` (a sorted set of node ids scored by the time their
 * heartbeat runs out) and `<prefix>node:{<nodeId>}:players` (a set of `code NUL playerId`). Every command
 * touches one key, so it works on a Redis Cluster too. A dead node is claimed by the one caller whose ZREM
 * removed it.
 */
export class RedisNodePresence implements NodePresence {
  private readonly nodesKey: string;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix = 'gb:',
  ) {
    this.nodesKey = `${prefix}nodes`;
  }

  private playersKey(nodeId: string): string {
    return `${this.prefix}node:{${nodeId}}:players`;
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<boolean> {
    return (await this.client.zadd(this.nodesKey, Date.now() + ttlMs, nodeId)) === 0;
  }

  async add(nodeId: string, entry: PresenceEntry): Promise<void> {
    await this.client.sadd(this.playersKey(nodeId), keyOf(entry));
  }

  async remove(nodeId: string, entry: PresenceEntry): Promise<void> {
    await this.client.srem(this.playersKey(nodeId), keyOf(entry));
  }

  async isPresent(entry: PresenceEntry): Promise<boolean> {
    const live = await this.client.zrangebyscore(this.nodesKey, Date.now(), '+inf');
    const found = await Promise.all(live.map((nodeId) => this.client.sismember(this.playersKey(nodeId), keyOf(entry))));
    return found.some((n) => n === 1);
  }

  async claimDead(): Promise<{ nodeId: string; entries: PresenceEntry[] }[]> {
    const dead = await this.client.zrangebyscore(this.nodesKey, '-inf', Date.now(), 'LIMIT', 0, 20);
    const claimed: { nodeId: string; entries: PresenceEntry[] }[] = [];
    for (const nodeId of dead) {
      if ((await this.client.zrem(this.nodesKey, nodeId)) !== 1) continue;
      const key = this.playersKey(nodeId);
      const members = await this.client.smembers(key);
      await this.client.del(key);
      claimed.push({ nodeId, entries: members.flatMap((m) => parseEntry(m)) });
    }
    return claimed;
  }

  async leave(nodeId: string, graceMs: number): Promise<void> {
    await this.client.zadd(this.nodesKey, Date.now() + graceMs, nodeId);
  }
}

function parseEntry(member: string): PresenceEntry[] {
  const at = member.indexOf(SEPARATOR);
  return at <= 0 ? [] : [{ code: member.slice(0, at), playerId: member.slice(at + 1) }];
}
