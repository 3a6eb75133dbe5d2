import { RedisScript } from '@gamebuddies/redis-connection';

/*
 * The session store's read-modify-write steps, each one atomic Lua script. A session is one hash at
 * `<prefix>session:{<sha256 of the token, hex>}` (see session-fields.ts for its fields); every script on a
 * session touches that key only, so it runs in one Redis Cluster slot. Times come from the Redis server's
 * clock (`now_ms()`), so expiry does not depend on the gateways' clocks agreeing. Replies are arrays whose
 * first item is a status: OK, TAKEN, NOT_FOUND or CORRUPT.
 */

/**
 * Marks a session as seen now: sets its window, `lastSeenAt` and `expiresAt`, and moves the key's own expiry
 * (PEXPIREAT) to match. Returns now.
 */
const MARK_SEEN = `
local function mark_seen(key, ttl)
  local now = now_ms()
  local expires_at = now + tonumber(ttl)
  redis.call('HSET', key, 'ttlMs', ttl, 'lastSeenAt', int(now), 'expiresAt', int(expires_at))
  redis.call('PEXPIREAT', key, int(expires_at))
  return now
end
`;

/**
 * Creates a session unless its key exists.
 * KEYS[1] session hash. ARGV: 1 schema version, 2 sessionId, 3 playerId, 4 displayName, 5 data (JSON),
 * 6 ttlMs. Reply: {'OK', {field, value, ...}} or {'TAKEN'}.
 */
export const CREATE_SESSION = new RedisScript(
  'session.create',
  `${MARK_SEEN}
if redis.call('EXISTS', KEYS[1]) == 1 then return {'TAKEN'} end
redis.call('HSET', KEYS[1], 'schema', ARGV[1], 'sessionId', ARGV[2], 'playerId', ARGV[3], 'displayName', ARGV[4],
  'roomCode', '', 'data', ARGV[5])
redis.call('HSET', KEYS[1], 'createdAt', int(mark_seen(KEYS[1], ARGV[6])))
return {'OK', redis.call('HGETALL', KEYS[1])}
`,
);

/**
 * Touches and optionally changes a session: sets the given fields, `lastSeenAt` to now, and slides the expiry
 * by the new window or, when none is given, the stored one. Refuses to write over an unknown schema or a
 * damaged window rather than guess. Serves touch, update, bindRoom and unbindRoom.
 * KEYS[1] session hash. ARGV: 1 schema version, 2 ttlMs ('' = keep the session's own), then field/value
 * pairs to set (displayName, data, roomCode).
 * Reply: {'OK', {field, value, ...}}, {'NOT_FOUND'} or {'CORRUPT', reason}.
 */
export const WRITE_SESSION = new RedisScript(
  'session.write',
  `${MARK_SEEN}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NOT_FOUND'} end
local cur = redis.call('HMGET', KEYS[1], 'schema', 'ttlMs')
if cur[1] ~= ARGV[1] then return {'CORRUPT', 'unknown schema version'} end
local ttl = ARGV[2]
if ttl == '' then ttl = cur[2] end
if not ttl or not string.match(ttl, '^[1-9]%d*$') then return {'CORRUPT', 'ttlMs is not an integer'} end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
mark_seen(KEYS[1], ttl)
return {'OK', redis.call('HGETALL', KEYS[1])}
`,
);

/*
 * The index behind count(): one sorted set `<prefix>{sessions}:expiry` (member: the token's hash, score:
 * expiresAt). It has a slot of its own, so the store updates it with single commands next to the scripts
 * (ZADD after a create, ZADD XX GT after a write, ZREM on destroy); sessions expire by TTL alone and the
 * index drops them here.
 */

/**
 * Counts live sessions, first removing every entry whose expiry has passed.
 * KEYS[1] expiry zset. No ARGV. Reply: the count.
 */
export const COUNT_SESSIONS = new RedisScript(
  'sessions.count',
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(now_ms()))
return redis.call('ZCARD', KEYS[1])
`,
);
