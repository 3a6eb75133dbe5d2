import { RedisScript } from '@gamebuddies/redis-connection';

/*
 * The session store's steps, each one atomic Lua script. Sessions are spread over 16 buckets by the first hex
 * digit of their token's SHA-256; a bucket `b` is the hash tag `{sessions:b}`, shared by its sessions' hashes
 * (`<prefix>session:{sessions:b}:<sha256>`) and its index (`<prefix>{sessions:b}:expiry`, a sorted set of
 * sha256 by expiresAt), so a script writes a session and its index entry together, in one Redis Cluster slot.
 * Times come from the Redis server's clock (`now_ms()`), so expiry does not depend on the gateways' clocks
 * agreeing. Every script that reads a session checks the whole record (`damage_of`, the same checks as
 * `findDamage` in session-fields.ts) and the index's type before it writes anything: a script that fails half
 * way is not rolled back. Replies are arrays whose first item is a status; CORRUPT is followed by the damaged
 * key, the field ('' for the key itself) and the reason.
 */

/** Shared Lua: record checks, and the index pruning the create and the sweep use. */
const SESSION_LUA = `
local function to_fields(flat)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end
local function is_int(v)
  return v ~= nil and #v >= 1 and #v <= 15 and string.match(v, '^%d+$') ~= nil
end
local function damage_of(f)
  local schema = f['schema']
  if schema ~= '1' and schema ~= '2' then return 'schema', 'schema is not a known version' end
  local ttl = f['ttlMs']
  if not is_int(ttl) or string.sub(ttl, 1, 1) == '0' then return 'ttlMs', 'ttlMs is not a positive integer' end
  for _, name in ipairs({'createdAt', 'lastSeenAt', 'expiresAt'}) do
    if not is_int(f[name]) then return name, name .. ' is not an integer' end
  end
  for _, name in ipairs({'sessionId', 'playerId', 'displayName'}) do
    if f[name] == nil or f[name] == '' then return name, name .. ' is missing' end
  end
  local room = f['roomCode']
  if room == nil then return 'roomCode', 'roomCode is missing' end
  if schema == '2' then
    local bound = f['roomBoundAt']
    if (room == '' and bound ~= '') or (room ~= '' and not is_int(bound)) then
      return 'roomBoundAt', 'roomBoundAt does not match roomCode'
    end
    local request = f['createRequest']
    if request == nil or (request ~= '' and (#request ~= 64 or string.find(request, '[^0-9a-f]') ~= nil)) then
      return 'createRequest', 'createRequest is not a request fingerprint'
    end
  end
  local data = f['data'] or ''
  local ok, decoded = pcall(cjson.decode, data)
  if not ok then return 'data', 'data is not valid JSON' end
  if type(decoded) ~= 'table' or string.match(data, '^%s*{') == nil then return 'data', 'data is not a JSON object' end
  return nil
end
local function bound_at_of(f)
  if f['schema'] == '2' then return f['roomBoundAt'] end
  if f['roomCode'] == '' then return '' end
  return f['createdAt']
end
local function is_index_damaged(key)
  local t = redis.call('TYPE', key)['ok']
  return t ~= 'zset' and t ~= 'none'
end
local WRONG_TYPE = 'the key holds another Redis type'
local function prune(index, now, limit)
  if limit <= 0 then return 0 end
  local gone = redis.call('ZRANGEBYSCORE', index, '-inf', int(now), 'LIMIT', 0, limit)
  for i = 1, #gone, 500 do redis.call('ZREM', index, unpack(gone, i, math.min(i + 499, #gone))) end
  return #gone
end
`;

/**
 * Creates a session and its index entry, unless its key exists; when the caller chose the token, a whole
 * session already stored with the same create request is returned instead (a retried create). Also prunes a
 * few expired entries from the bucket's index.
 * KEYS[1] session hash, KEYS[2] bucket index. ARGV: 1 schema version, 2 token hash (index member),
 * 3 sessionId, 4 playerId, 5 displayName, 6 data (JSON), 7 ttlMs, 8 createRequest, 9 '1' when the caller chose
 * the token ('' otherwise), 10 expired index entries to prune.
 * Reply: {'CREATED', {field, value, ...}}, {'EXISTING', {field, value, ...}}, {'TAKEN'} or
 * {'CORRUPT', key, field, reason}.
 */
export const CREATE_SESSION = new RedisScript(
  'session.create',
  `${SESSION_LUA}
if is_index_damaged(KEYS[2]) then return {'CORRUPT', KEYS[2], '', WRONG_TYPE} end
local stored_type = redis.call('TYPE', KEYS[1])['ok']
if stored_type ~= 'none' then
  if ARGV[9] ~= '1' then return {'TAKEN'} end
  if stored_type ~= 'hash' then return {'CORRUPT', KEYS[1], '', WRONG_TYPE} end
  local f = to_fields(redis.call('HGETALL', KEYS[1]))
  local field, reason = damage_of(f)
  if field then return {'CORRUPT', KEYS[1], field, reason} end
  if f['createRequest'] ~= ARGV[8] then return {'TAKEN'} end
  return {'EXISTING', redis.call('HGETALL', KEYS[1])}
end
local now = now_ms()
local expires_at = now + tonumber(ARGV[7])
redis.call('HSET', KEYS[1], 'schema', ARGV[1], 'sessionId', ARGV[3], 'playerId', ARGV[4], 'displayName', ARGV[5],
  'roomCode', '', 'roomBoundAt', '', 'createRequest', ARGV[8], 'data', ARGV[6], 'ttlMs', ARGV[7],
  'createdAt', int(now), 'lastSeenAt', int(now), 'expiresAt', int(expires_at))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
redis.call('ZADD', KEYS[2], int(expires_at), ARGV[2])
prune(KEYS[2], now, tonumber(ARGV[10]))
return {'CREATED', redis.call('HGETALL', KEYS[1])}
`,
);

/**
 * Touches and optionally changes a session: checks the record, then (when a room condition is given and
 * holds) sets the given fields, `roomBoundAt` with `roomCode`, `lastSeenAt` to now, slides the expiry by the
 * new window or the stored one, and moves the index entry. A schema-1 record is written as schema 2. Serves
 * touch, update, bindRoom and unbindRoom.
 * KEYS[1] session hash, KEYS[2] bucket index. ARGV: 1 schema version, 2 token hash, 3 ttlMs ('' = keep the
 * session's own), 4 'room' to require the stored roomCode to equal ARGV[5] ('' = no condition), 5 the room
 * required ('' = none), 6 on a mismatch 'conflict' or 'unchanged', then field/value pairs to set (displayName,
 * data, roomCode).
 * Reply: {'WRITTEN', {field, value, ...}}, {'UNCHANGED', {field, value, ...}}, {'NOT_FOUND'},
 * {'CONFLICT', roomCode, roomBoundAt} or {'CORRUPT', key, field, reason}.
 */
export const WRITE_SESSION = new RedisScript(
  'session.write',
  `${SESSION_LUA}
local stored_type = redis.call('TYPE', KEYS[1])['ok']
if stored_type == 'none' then return {'NOT_FOUND'} end
if stored_type ~= 'hash' then return {'CORRUPT', KEYS[1], '', WRONG_TYPE} end
if is_index_damaged(KEYS[2]) then return {'CORRUPT', KEYS[2], '', WRONG_TYPE} end
local f = to_fields(redis.call('HGETALL', KEYS[1]))
local field, reason = damage_of(f)
if field then return {'CORRUPT', KEYS[1], field, reason} end
local bound_at = bound_at_of(f)
if ARGV[4] == 'room' and f['roomCode'] ~= ARGV[5] then
  if ARGV[6] == 'conflict' then return {'CONFLICT', f['roomCode'], bound_at} end
  return {'UNCHANGED', redis.call('HGETALL', KEYS[1])}
end
local now = now_ms()
local ttl = ARGV[3]
if ttl == '' then ttl = f['ttlMs'] end
if f['schema'] ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'schema', ARGV[1], 'roomBoundAt', bound_at, 'createRequest', '')
end
for i = 7, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  if ARGV[i] == 'roomCode' then
    local at = ''
    if ARGV[i + 1] ~= '' then at = int(now) end
    redis.call('HSET', KEYS[1], 'roomBoundAt', at)
  end
end
local expires_at = now + tonumber(ttl)
redis.call('HSET', KEYS[1], 'ttlMs', ttl, 'lastSeenAt', int(now), 'expiresAt', int(expires_at))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
redis.call('ZADD', KEYS[2], int(expires_at), ARGV[2])
return {'WRITTEN', redis.call('HGETALL', KEYS[1])}
`,
);

/**
 * Ends a session, damaged or not: deletes its key and its index entry.
 * KEYS[1] session hash, KEYS[2] bucket index. ARGV: 1 token hash.
 * Reply: {'DESTROYED', 1 or 0} or {'CORRUPT', key, '', reason} (a damaged index: nothing deleted).
 */
export const DESTROY_SESSION = new RedisScript(
  'session.destroy',
  `${SESSION_LUA}
if is_index_damaged(KEYS[2]) then return {'CORRUPT', KEYS[2], '', WRONG_TYPE} end
local removed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'DESTROYED', removed}
`,
);

/**
 * Copies a session stored in the layout before buckets (a schema-1 hash at `<prefix>session:{<sha256>}`) into
 * its bucket, as schema 2, with its index entry, unless the new key exists or the session has expired. The
 * caller then deletes the old key and its entry in the old index.
 * KEYS[1] new session hash, KEYS[2] bucket index. ARGV: 1 schema version, 2 token hash, then the old record's
 * field/value pairs.
 * Reply: {'MIGRATED'}, {'PRESENT'}, {'EXPIRED'} or {'CORRUPT', '', field, reason} (the old record is damaged).
 */
export const MIGRATE_SESSION = new RedisScript(
  'session.migrate',
  `${SESSION_LUA}
if is_index_damaged(KEYS[2]) then return {'CORRUPT', KEYS[2], '', WRONG_TYPE} end
if redis.call('TYPE', KEYS[1])['ok'] ~= 'none' then return {'PRESENT'} end
local f = {}
for i = 3, #ARGV, 2 do f[ARGV[i]] = ARGV[i + 1] end
local field, reason = damage_of(f)
if field then return {'CORRUPT', '', field, reason} end
if tonumber(f['expiresAt']) <= now_ms() then return {'EXPIRED'} end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if f['schema'] ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'schema', ARGV[1], 'roomBoundAt', bound_at_of(f), 'createRequest', '')
end
redis.call('PEXPIREAT', KEYS[1], f['expiresAt'])
redis.call('ZADD', KEYS[2], f['expiresAt'], ARGV[2])
return {'MIGRATED'}
`,
);

/**
 * Counts the live sessions of one bucket (index entries expiring after now); removes nothing.
 * KEYS[1] bucket index. No ARGV. Reply: the count.
 */
export const COUNT_SESSIONS = new RedisScript(
  'sessions.count',
  `
return redis.call('ZCOUNT', KEYS[1], '(' .. int(now_ms()), '+inf')
`,
);

/**
 * One bounded sweep step: removes at most ARGV[1] index entries whose session has expired (the session hashes
 * expire by their own TTL).
 * KEYS[1] bucket index. ARGV: 1 most entries to remove. Reply: how many were removed.
 */
export const SWEEP_INDEX = new RedisScript(
  'sessions.sweep',
  `${SESSION_LUA}
return prune(KEYS[1], now_ms(), tonumber(ARGV[1]))
`,
);
