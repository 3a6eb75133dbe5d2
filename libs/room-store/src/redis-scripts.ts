import { RedisScript } from '@gamebuddies/redis-connection';

/*
 * The room store's read-modify-write steps, each one atomic Lua script. A room is one hash at
 * `<prefix>room:{<CODE>}` (see room-fields.ts for its fields); every script touches that key only, so it runs
 * in one Redis Cluster slot. Times come from the Redis server's clock (`now_ms()`), so leases do not depend on
 * the gateways' clocks agreeing. Replies are arrays whose first item is a status: OK, TAKEN, NOT_FOUND,
 * CONFLICT, LEASE_LOST, HELD or CORRUPT.
 */

/** Shared checks of a conditional write: LEASE_LOST before CONFLICT, as the memory store does. */
const CHECK_CONDITIONS = `
local function check(key, expected_version, fencing_token)
  local cur = redis.call('HMGET', key, 'version', 'fence', 'leaseNode')
  if not cur[1] then return {'NOT_FOUND'} end
  local version = tonumber(cur[1])
  if version == nil then return {'CORRUPT', 'version is not an integer'} end
  if fencing_token ~= '' then
    local fence = tonumber(cur[2])
    if fence == nil then return {'CORRUPT', 'fence is not an integer'} end
    if tonumber(fencing_token) ~= fence or cur[3] == '' then return {'LEASE_LOST', fence} end
  end
  if expected_version ~= '' and tonumber(expected_version) ~= version then return {'CONFLICT', version} end
  return nil, version
end
`;

/**
 * Creates a room if the code is free.
 * KEYS[1] room hash. ARGV: 1 channel, 2 code, 3 gameId, 4 options, 5 state, 6 players, 7 ttlMs, 8 origin,
 * 9 schema version. Reply: {'OK', createdAt} or {'TAKEN'}.
 */
export const CREATE_ROOM = new RedisScript(
  'room.create',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'TAKEN'} end
local now = now_ms()
local expires_at = now + tonumber(ARGV[7])
redis.call('HSET', KEYS[1], 'schema', ARGV[9], 'code', ARGV[2], 'gameId', ARGV[3], 'options', ARGV[4],
  'state', ARGV[5], 'players', ARGV[6], 'version', '1', 'createdAt', int(now), 'updatedAt', int(now),
  'expiresAt', int(expires_at), 'fence', '0', 'leaseNode', '', 'leaseExpiresAt', '0')
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'created', code = ARGV[2], version = 1, origin = ARGV[8]}))
return {'OK', now}
`,
);

/**
 * Replaces content fields if the conditions hold; bumps the version, slides the expiry, announces the change.
 * KEYS[1] room hash. ARGV: 1 channel, 2 code, 3 expectedVersion ('' = any), 4 fencingToken ('' = none),
 * 5 ttlMs, 6 origin, then field/value pairs to set (options, state, players).
 * Reply: {'OK', version, updatedAt, expiresAt} or a refusal from check().
 */
export const UPDATE_ROOM = new RedisScript(
  'room.update',
  `${CHECK_CONDITIONS}
local refusal, version = check(KEYS[1], ARGV[3], ARGV[4])
if refusal then return refusal end
local now = now_ms()
local expires_at = now + tonumber(ARGV[5])
version = version + 1
local fields = {'version', int(version), 'updatedAt', int(now), 'expiresAt', int(expires_at)}
for i = 7, #ARGV do table.insert(fields, ARGV[i]) end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'updated', code = ARGV[2], version = version, origin = ARGV[6]}))
return {'OK', version, now, expires_at}
`,
);

/**
 * Deletes a room if the conditions hold.
 * KEYS[1] room hash. ARGV: 1 channel, 2 code, 3 expectedVersion ('' = any), 4 fencingToken ('' = none),
 * 5 origin. Reply: {'OK'} or a refusal from check().
 */
export const DELETE_ROOM = new RedisScript(
  'room.delete',
  `${CHECK_CONDITIONS}
local refusal, version = check(KEYS[1], ARGV[3], ARGV[4])
if refusal then return refusal end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'deleted', code = ARGV[2], version = version, origin = ARGV[5]}))
return {'OK'}
`,
);

/**
 * Slides a room's expiry. KEYS[1] room hash. ARGV: 1 ttlMs. Reply: {'OK', expiresAt} or {'NOT_FOUND'}.
 */
export const TOUCH_ROOM = new RedisScript(
  'room.touch',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NOT_FOUND'} end
local expires_at = now_ms() + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'expiresAt', int(expires_at))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
return {'OK', expires_at}
`,
);

/**
 * Takes the lease if it is free or expired (issuing the next fencing token), or renews it for its holder.
 * KEYS[1] room hash. ARGV: 1 nodeId, 2 ttlMs.
 * Reply: {'OK', token, expiresAt}, {'HELD', holderNodeId, token, expiresAt} or {'NOT_FOUND'}.
 */
export const ACQUIRE_LEASE = new RedisScript(
  'room.acquireLease',
  `
local cur = redis.call('HMGET', KEYS[1], 'fence', 'leaseNode', 'leaseExpiresAt')
if not cur[1] then return {'NOT_FOUND'} end
local fence, holder, holder_expires_at = tonumber(cur[1]), cur[2], tonumber(cur[3])
if fence == nil or holder_expires_at == nil or not holder then return {'CORRUPT', 'lease fields are damaged'} end
local now = now_ms()
local expires_at = now + tonumber(ARGV[2])
if holder ~= '' and holder_expires_at > now then
  if holder ~= ARGV[1] then return {'HELD', holder, fence, holder_expires_at} end
  redis.call('HSET', KEYS[1], 'leaseExpiresAt', int(expires_at))
  return {'OK', fence, expires_at}
end
fence = fence + 1
redis.call('HSET', KEYS[1], 'fence', int(fence), 'leaseNode', ARGV[1], 'leaseExpiresAt', int(expires_at))
return {'OK', fence, expires_at}
`,
);

/**
 * Extends a lease its holder still has. KEYS[1] room hash. ARGV: 1 nodeId, 2 token, 3 ttlMs.
 * Reply: {'OK', expiresAt}, {'LEASE_LOST', currentToken} or {'NOT_FOUND'}.
 */
export const RENEW_LEASE = new RedisScript(
  'room.renewLease',
  `
local cur = redis.call('HMGET', KEYS[1], 'fence', 'leaseNode')
if not cur[1] then return {'NOT_FOUND'} end
local fence = tonumber(cur[1])
if fence == nil then return {'CORRUPT', 'fence is not an integer'} end
if cur[2] ~= ARGV[1] or fence ~= tonumber(ARGV[2]) then return {'LEASE_LOST', fence} end
local expires_at = now_ms() + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'leaseExpiresAt', int(expires_at))
return {'OK', expires_at}
`,
);

/**
 * Gives a lease up. KEYS[1] room hash. ARGV: 1 nodeId, 2 token. Reply: 1 if released, 0 if not held.
 */
export const RELEASE_LEASE = new RedisScript(
  'room.releaseLease',
  `
local cur = redis.call('HMGET', KEYS[1], 'fence', 'leaseNode')
if not cur[1] or cur[2] ~= ARGV[1] or tonumber(cur[1]) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'leaseNode', '', 'leaseExpiresAt', '0')
return 1
`,
);

/*
 * The index behind count() and list(): two sorted sets sharing the hash tag `{rooms}` (one slot):
 * `<prefix>{rooms}:expiry` (member code, score expiresAt) and `<prefix>{rooms}:codes` (member code, score 0,
 * for paging in code order). Rooms expire by TTL alone; the index drops them when their score has passed.
 */

/**
 * Records a room's expiry in the index; the score only grows, so a late, stale update cannot shorten it.
 * KEYS[1] expiry zset, KEYS[2] codes zset. ARGV: 1 code, 2 expiresAt. Reply: 1.
 */
export const INDEX_ROOM = new RedisScript(
  'rooms.index',
  `
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
`,
);

/**
 * Moves an indexed room's deadline later. Only a live entry moves: a deleted or expired room is never brought
 * back, and the score only grows. KEYS[1] expiry zset. ARGV: 1 code, 2 deadline. Reply: 1.
 */
export const REFRESH_INDEX = new RedisScript(
  'rooms.refreshIndex',
  `
local now = now_ms()
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then
  redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
end
return 1
`,
);

/**
 * Drops a room from the index. KEYS[1] expiry zset, KEYS[2] codes zset. ARGV: 1 code. Reply: 1.
 */
export const UNINDEX_ROOM = new RedisScript(
  'rooms.unindex',
  `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`,
);

/** Removes up to 1000 index entries whose room has expired. */
const PRUNE_EXPIRED = `
local function prune(expiry_key, codes_key, now)
  local gone = redis.call('ZRANGE', expiry_key, '-inf', '(' .. int(now), 'BYSCORE', 'LIMIT', 0, 1000)
  for _, code in ipairs(gone) do
    redis.call('ZREM', expiry_key, code)
    redis.call('ZREM', codes_key, code)
  end
end
`;

/**
 * Counts live rooms, pruning expired entries first. KEYS[1] expiry zset, KEYS[2] codes zset. Reply: count.
 */
export const COUNT_ROOMS = new RedisScript(
  'rooms.count',
  `${PRUNE_EXPIRED}
local now = now_ms()
prune(KEYS[1], KEYS[2], now)
return redis.call('ZCOUNT', KEYS[1], '(' .. int(now), '+inf')
`,
);

/**
 * One page of room codes after a cursor, in code order, live ones only.
 * KEYS[1] expiry zset, KEYS[2] codes zset. ARGV: 1 cursor ('' = from the start), 2 limit.
 * Reply: {isExhausted (0/1), lastScanned, code, code, ...}.
 */
export const LIST_ROOMS = new RedisScript(
  'rooms.list',
  `${PRUNE_EXPIRED}
local now = now_ms()
prune(KEYS[1], KEYS[2], now)
local from = '-'
if ARGV[1] ~= '' then from = '(' .. ARGV[1] end
local limit = tonumber(ARGV[2])
local scanned = redis.call('ZRANGE', KEYS[2], from, '+', 'BYLEX', 'LIMIT', 0, limit + 1)
local reply = {0, ARGV[1]}
if #scanned <= limit then reply[1] = 1 end
for i = 1, math.min(#scanned, limit) do
  local score = redis.call('ZSCORE', KEYS[1], scanned[i])
  if score and tonumber(score) > now then table.insert(reply, scanned[i]) end
  reply[2] = scanned[i]
end
return reply
`,
);
