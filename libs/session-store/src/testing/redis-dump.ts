import type { RedisClient } from '@gamebuddies/redis-connection';

/**
 * Every key matching `pattern` on one Redis node and every value it holds, as text: what an attacker with a
 * dump of the store would see. For tests; walks the keys with SCAN, never KEYS.
 */
export async function dumpRedisText(client: RedisClient, pattern: string): Promise<string[]> {
  const text: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) text.push(key, ...(await valuesOf(client, key)));
  } while (cursor !== '0');
  return text;
}

async function valuesOf(client: RedisClient, key: string): Promise<string[]> {
  const type = await client.type(key);
  if (type === 'hash') return Object.entries(await client.hgetall(key)).flat();
  if (type === 'zset') return client.zrange(key, '0', '-1', 'WITHSCORES');
  if (type === 'string') return [(await client.get(key)) ?? ''];
  if (type === 'none') return []; // expired between SCAN and TYPE
  if (type === 'list') return client.lrange(key, 0, -1);
  throw new Error(`dumpRedisText does not read ${type} keys (${key})`);
}
