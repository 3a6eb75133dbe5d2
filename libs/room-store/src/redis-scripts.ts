import { RedisScript } from '@gamebuddies/redis-connection';
import { MAX_OPERATION_ID_LENGTH, READABLE_ROOM_SCHEMA_VERSIONS, RETIRED_ROOM_FIELDS, ROOM_SCHEMA_VERSION } from './room-fields';

/** A Lua table literal of strings, e.g. `{'1', '2'}`. */
const luaList = (items: readonly string[]): string => `{${items.map((item) => `'${item}'`).join(', ')}}`;

/*
 * The room store's read-modify-write steps, each one atomic Lua script. A room is one hash at
 * `<prefix>room:{<CODE>}` (see room-fields.ts for its fields; each content field has a SHA-1 checksum next to
 * it, `<field>Sum`, so that checking a record before a write costs a hash, not a JSON decode). Times come from
 * the Redis server's clock (`now_ms()`), so leases do not depend on the gateways' clocks agreeing. Replies are
 * arrays whose first item is a status: OK, TAKEN, REPLAY, ELSEWHERE, NOT_FOUND, CONFLICT, LEASE_LOST, HELD or
 * CORRUPT.
 *
 * The room scripts take the index keys too (after the room key, see "The index" below), so that on a single
 * Redis (or a Sentinel-managed one) a create or delete changes room and index in one atomic step. On a Redis
 * Cluster, where the room's slot and the index's differ, they are called with the room key alone and skip the
 * index, which redis.ts then maintains in steps of its own.
 *
 * A CORRUPT reply is {'CORRUPT', i, field, reason}: KEYS[i] holds damaged data (field `type` when the key is of
 * another Redis type). Every script that reads a room checks the whole record first (read_room) and writes
 * nothing over a damaged one.
 */

/** A refusal when KEYS[i] exists with another type than `want`, else nil. Checked before anything is written. */
const WRONG_TYPE = `
local function wrong_type(i, want)
  local kind = redis.call('TYPE', KEYS[i])['ok']
  if kind ~= 'none' and kind ~= want then return {'CORRUPT', i, 'type', 'the key holds a Redis ' .. kind .. ', not a ' .. want} end
  return nil
end
`;

/** Checks of a stored room hash, in the order checkRoomFields (room-fields.ts) makes them. */
const VALIDATE_ROOM = WRONG_TYPE + String.raw`
local function is_uint(s)
  return type(s) == 'string' and (s == '0' or (#s <= 16 and string.find(s, '^[1-9]%d*$') ~= nil and tonumber(s) <= 9007199254740991))
end

-- cjson refuses lone UTF-16 surrogates escaped as \uD800-\uDFFF, which JSON.stringify writes and JSON.parse
-- reads; turning each such escape into another valid one (also when it is text after an escaped backslash)
-- keeps the check in step with the reader without changing what is valid.
local function decodes(s)
  if string.find(s, '\\u', 1, true) then s = string.gsub(s, '\\u[dD][89a-fA-F]%x%x', '\\u0020') end
  local ok, value = pcall(cjson.decode, s)
  if ok then return true, value end
  return false
end

-- Checks a content field against its checksum (written with it by the store). Returns 'ok', 'unsummed' (a
-- record from before checksums: its JSON is checked instead), or the damaged field and why.
local function summed(f, name)
  local sum = f[name .. 'Sum']
  if sum == nil then return 'unsummed' end
  if #sum ~= 40 or not string.find(sum, '^[0-9a-f]+$') then return name .. 'Sum', name .. 'Sum is not a SHA-1 checksum' end
  if f[name] == nil or redis.sha1hex(f[name]) ~= sum then return name, name .. ' does not match its checksum (it was changed outside the store)' end
  return 'ok'
end

-- A record of the previous schema (with a players list and its checksum) reads too: those fields are ignored.
local function is_readable_schema(schema)
  for _, known in ipairs(${luaList(READABLE_ROOM_SCHEMA_VERSIONS)}) do
    if schema == known then return true end
  end
  return false
end

local function check_room(f, code)
  if not is_readable_schema(f.schema) then return 'schema', 'unknown schema version ' .. tostring(f.schema) end
  if f.code ~= code then return 'code', 'code ' .. tostring(f.code) .. ' does not match the key' end
  local g = f.gameId
  if not g or #g > 64 or not string.find(g, '^[A-Za-z0-9][A-Za-z0-9._%-]*$') then return 'gameId', 'gameId is missing or not a game id' end
  if not is_uint(f.version) then return 'version', 'version is missing or not a decimal integer' end
  if f.version == '0' then return 'version', 'version is not a positive integer' end
  for _, name in ipairs({'createdAt', 'updatedAt', 'expiresAt', 'fence'}) do
    if not is_uint(f[name]) then return name, name .. ' is missing or not a decimal integer' end
  end
  local node = f.leaseNode
  if not node or #node > 200 then return 'leaseNode', 'leaseNode is missing or too long' end
  if not is_uint(f.leaseExpiresAt) then return 'leaseExpiresAt', 'leaseExpiresAt is missing or not a decimal integer' end
  if node == '' and f.leaseExpiresAt ~= '0' then return 'leaseExpiresAt', 'leaseExpiresAt is set without a lease holder' end
  if node ~= '' and f.fence == '0' then return 'leaseNode', 'leaseNode is set but no fencing token was ever issued' end
  if node ~= '' and f.leaseExpiresAt == '0' then return 'leaseExpiresAt', 'leaseExpiresAt is 0 for a held lease' end
  for _, name in ipairs({'requestId', 'writeId'}) do
    if f[name] and #f[name] > ${MAX_OPERATION_ID_LENGTH} then return name, name .. ' is too long' end
  end
  local verdict, why = summed(f, 'options')
  if why then return verdict, why end
  if verdict == 'unsummed' and (not f.options or not string.find(f.options, '^%s*{') or not decodes(f.options)) then
    return 'options', 'options is not a JSON object'
  end
  verdict, why = summed(f, 'state')
  if why then return verdict, why end
  if verdict == 'unsummed' and (not f.state or not decodes(f.state)) then return 'state', 'state is missing or not valid JSON' end
  return nil
end

-- Reads the room hash at KEYS[1] and checks it. Returns its fields, or nil and a reply: {'NOT_FOUND'} or CORRUPT.
local function read_room(code)
  local pairs_ = redis.pcall('HGETALL', KEYS[1])
  if pairs_.err then return nil, {'CORRUPT', 1, 'type', 'the key is not a hash (' .. pairs_.err .. ')'} end
  if #pairs_ == 0 then return nil, {'NOT_FOUND'} end
  local f = {}
  for i = 1, #pairs_, 2 do f[pairs_[i]] = pairs_[i + 1] end
  local field, reason = check_room(f, code)
  if field then return nil, {'CORRUPT', 1, field, reason} end
  return f
end

-- The conditions of a write: LEASE_LOST before CONFLICT, as the memory store checks them. Stored numbers are
-- canonical decimals (checked above) and the arguments are written by JavaScript's String(), so text compares.
local function refuse(f, expected_version, fencing_token)
  if fencing_token ~= '' and (fencing_token ~= f.fence or f.leaseNode == '') then return {'LEASE_LOST', f.fence} end
  if expected_version ~= '' and expected_version ~= f.version then return {'CONFLICT', f.version} end
  return nil
end
`;

/** Index upkeep inside the room scripts, for the single-node layout where KEYS[2] and KEYS[3] are the index. */
const INDEX_IN_ROOM_SCRIPTS = `
local function room_index_refusal()
  return wrong_type(2, 'zset') or wrong_type(3, 'zset')
end

-- Sets the room's index deadline to its expiry exactly; re-adds an entry that went missing.
local function index_room(code, expires_at)
  if redis.call('ZADD', KEYS[2], int(expires_at), code) == 1 then redis.call('ZADD', KEYS[3], 0, code) end
end

-- Removes a few expired entries, so that the index stays small even where no sweep timer runs.
local function prune_a_few(now)
  local gone = redis.call('ZRANGE', KEYS[2], '-inf', '(' .. int(now), 'BYSCORE', 'LIMIT', 0, 10)
  if #gone > 0 then
    redis.call('ZREM', KEYS[2], unpack(gone))
    redis.call('ZREM', KEYS[3], unpack(gone))
  end
end
`;

/**
 * Creates a room if the code is free, or answers the room an earlier create with the same requestId made.
 * KEYS[1] room hash; single node also KEYS[2] expiry zset, KEYS[3] codes zset, KEYS[4] the requestId's mapping
 * (a string holding the code, living until the room's first deadline).
 * ARGV: 1 channel, 2 code, 3 gameId, 4 options, 5 state, 6 ttlMs, 7 origin, 8 requestId, 9 '1' to follow the
 * mapping (first try at a generated code), 10-11 the checksums of options and state (made by the caller, so
 * that Redis, which every gateway shares, does not spend its time hashing).
 * Reply: {'OK', createdAt}, {'TAKEN'}, {'REPLAY', field, value, ...}, {'ELSEWHERE', code} or CORRUPT.
 */
export const CREATE_ROOM = new RedisScript(
  'room.create',
  `${VALIDATE_ROOM}${INDEX_IN_ROOM_SCRIPTS}
local indexed = #KEYS == 4
if indexed then
  local refusal = room_index_refusal() or wrong_type(4, 'string')
  if refusal then return refusal end
  if ARGV[9] == '1' then
    local earlier = redis.call('GET', KEYS[4])
    if earlier and earlier ~= ARGV[2] then return {'ELSEWHERE', earlier} end
  end
end
local existing = redis.pcall('HGET', KEYS[1], 'requestId')
if type(existing) == 'table' and existing.err then return {'CORRUPT', 1, 'type', 'the key is not a hash'} end
if existing == ARGV[8] then
  local reply = redis.call('HGETALL', KEYS[1])
  table.insert(reply, 1, 'REPLAY')
  return reply
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'TAKEN'} end
local now = now_ms()
local expires_at = now + tonumber(ARGV[6])
redis.call('HSET', KEYS[1], 'schema', '${ROOM_SCHEMA_VERSION}', 'code', ARGV[2], 'gameId', ARGV[3], 'options', ARGV[4],
  'state', ARGV[5], 'version', '1', 'createdAt', int(now), 'updatedAt', int(now), 'expiresAt', int(expires_at),
  'fence', '0', 'leaseNode', '', 'leaseExpiresAt', '0', 'requestId', ARGV[8], 'optionsSum', ARGV[10], 'stateSum', ARGV[11])
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
if indexed then
  prune_a_few(now)
  redis.call('ZADD', KEYS[2], int(expires_at), ARGV[2])
  redis.call('ZADD', KEYS[3], 0, ARGV[2])
  redis.call('SET', KEYS[4], ARGV[2], 'PXAT', int(expires_at))
end
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'created', code = ARGV[2], version = 1, origin = ARGV[7]}))
return {'OK', int(now)}
`,
);

/**
 * Replaces content fields if the record is sound and the conditions hold; bumps the version, stores the write's
 * id, slides the expiry (and the index deadline), announces the change. A record of the previous schema is
 * brought to this one: the fields it no longer keeps are removed.
 * KEYS[1] room hash; single node also KEYS[2] expiry zset, KEYS[3] codes zset.
 * ARGV: 1 channel, 2 code, 3 expectedVersion ('' = any), 4 fencingToken ('' = none), 5 ttlMs, 6 origin,
 * 7 writeId ('' = none), 8 notice ('' = none: carried in the change notification), then for each part to set
 * (options, state): its name, its JSON and its checksum (made by the caller).
 * Reply: {'OK', version, updatedAt, expiresAt}, NOT_FOUND, CONFLICT, LEASE_LOST or CORRUPT.
 */
export const UPDATE_ROOM = new RedisScript(
  'room.update',
  `${VALIDATE_ROOM}${INDEX_IN_ROOM_SCRIPTS}
local f, refusal = read_room(ARGV[2])
if refusal then return refusal end
refusal = refuse(f, ARGV[3], ARGV[4])
if refusal then return refusal end
local indexed = #KEYS == 3
if indexed then
  refusal = room_index_refusal()
  if refusal then return refusal end
end
local now = now_ms()
local expires_at = now + tonumber(ARGV[5])
local version = tonumber(f.version) + 1
local fields = {'schema', '${ROOM_SCHEMA_VERSION}', 'version', int(version), 'updatedAt', int(now), 'expiresAt', int(expires_at), 'writeId', ARGV[7]}
local replaced = {}
for i = 9, #ARGV, 3 do
  local name = ARGV[i]
  replaced[name] = true
  table.insert(fields, name)
  table.insert(fields, ARGV[i + 1])
  table.insert(fields, name .. 'Sum')
  table.insert(fields, ARGV[i + 2])
end
-- A record from before checksums gets them for the parts it keeps (checked above as JSON).
for _, name in ipairs({'options', 'state'}) do
  if not replaced[name] and f[name .. 'Sum'] == nil then
    table.insert(fields, name .. 'Sum')
    table.insert(fields, redis.sha1hex(f[name]))
  end
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HDEL', KEYS[1], unpack(${luaList(RETIRED_ROOM_FIELDS)}))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
if indexed then index_room(ARGV[2], expires_at) end
local change = {type = 'updated', code = ARGV[2], version = version, origin = ARGV[6]}
if ARGV[8] ~= '' then change.notice = ARGV[8] end
redis.call('PUBLISH', ARGV[1], cjson.encode(change))
return {'OK', int(version), int(now), int(expires_at)}
`,
);

/**
 * Deletes a room (and its index entry) if the record is sound and the conditions hold.
 * KEYS[1] room hash; single node also KEYS[2] expiry zset, KEYS[3] codes zset.
 * ARGV: 1 channel, 2 code, 3 expectedVersion ('' = any), 4 fencingToken ('' = none), 5 origin.
 * Reply: {'OK'}, NOT_FOUND, CONFLICT, LEASE_LOST or CORRUPT.
 */
export const DELETE_ROOM = new RedisScript(
  'room.delete',
  `${VALIDATE_ROOM}${INDEX_IN_ROOM_SCRIPTS}
local f, refusal = read_room(ARGV[2])
if refusal then return refusal end
refusal = refuse(f, ARGV[3], ARGV[4])
if refusal then return refusal end
local indexed = #KEYS == 3
if indexed then
  refusal = room_index_refusal()
  if refusal then return refusal end
end
redis.call('DEL', KEYS[1])
if indexed then
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
end
redis.call('PUBLISH', ARGV[1], cjson.encode({type = 'deleted', code = ARGV[2], version = tonumber(f.version), origin = ARGV[5]}))
return {'OK'}
`,
);

/**
 * Slides a sound room's expiry (and its index deadline).
 * KEYS[1] room hash; single node also KEYS[2] expiry zset, KEYS[3] codes zset. ARGV: 1 code, 2 ttlMs.
 * Reply: {'OK', expiresAt}, NOT_FOUND or CORRUPT.
 */
export const TOUCH_ROOM = new RedisScript(
  'room.touch',
  `${VALIDATE_ROOM}${INDEX_IN_ROOM_SCRIPTS}
local f, refusal = read_room(ARGV[1])
if refusal then return refusal end
local indexed = #KEYS == 3
if indexed then
  refusal = room_index_refusal()
  if refusal then return refusal end
end
local expires_at = now_ms() + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'expiresAt', int(expires_at))
redis.call('PEXPIREAT', KEYS[1], int(expires_at))
if indexed then index_room(ARGV[1], expires_at) end
return {'OK', int(expires_at)}
`,
);

/**
 * Takes the lease if it is free or expired, or renews it for its holder. A new token is the larger of the
 * room's highest token + 1 and the server's clock in µs (TIME), so tokens keep growing even after Redis lost
 * the room (an empty restart) and the room was made again: see "Fencing after Redis loses its data" in
 * apps/gateway/SCALING.md. µs since the epoch stay below 2^53 until the year 2255.
 * KEYS[1] room hash. ARGV: 1 code, 2 nodeId, 3 ttlMs.
 * Reply: {'OK', token, expiresAt}, {'HELD', holderNodeId, token, expiresAt}, NOT_FOUND or CORRUPT.
 */
export const ACQUIRE_LEASE = new RedisScript(
  'room.acquireLease',
  `${VALIDATE_ROOM}
local f, refusal = read_room(ARGV[1])
if refusal then return refusal end
local now = now_ms()
local expires_at = now + tonumber(ARGV[3])
if f.leaseNode ~= '' and tonumber(f.leaseExpiresAt) > now then
  if f.leaseNode ~= ARGV[2] then return {'HELD', f.leaseNode, f.fence, f.leaseExpiresAt} end
  redis.call('HSET', KEYS[1], 'leaseExpiresAt', int(expires_at))
  return {'OK', f.fence, int(expires_at)}
end
local t = redis.call('TIME')
local token = math.max(tonumber(f.fence) + 1, tonumber(t[1]) * 1000000 + tonumber(t[2]))
redis.call('HSET', KEYS[1], 'fence', int(token), 'leaseNode', ARGV[2], 'leaseExpiresAt', int(expires_at))
return {'OK', int(token), int(expires_at)}
`,
);

/**
 * Extends a lease its holder still has. KEYS[1] room hash. ARGV: 1 code, 2 nodeId, 3 token, 4 ttlMs.
 * Reply: {'OK', expiresAt}, {'LEASE_LOST', currentToken}, NOT_FOUND or CORRUPT.
 */
export const RENEW_LEASE = new RedisScript(
  'room.renewLease',
  `${VALIDATE_ROOM}
local f, refusal = read_room(ARGV[1])
if refusal then return refusal end
if f.leaseNode ~= ARGV[2] or f.fence ~= ARGV[3] then return {'LEASE_LOST', f.fence} end
local expires_at = now_ms() + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'leaseExpiresAt', int(expires_at))
return {'OK', int(expires_at)}
`,
);

/**
 * Gives a lease up. KEYS[1] room hash. ARGV: 1 code, 2 nodeId, 3 token.
 * Reply: {'OK', 1} if released, {'OK', 0} if not held (or no room), or CORRUPT.
 */
export const RELEASE_LEASE = new RedisScript(
  'room.releaseLease',
  `${VALIDATE_ROOM}
local f, refusal = read_room(ARGV[1])
if refusal then
  if refusal[1] == 'NOT_FOUND' then return {'OK', 0} end
  return refusal
end
if f.leaseNode ~= ARGV[2] or f.fence ~= ARGV[3] then return {'OK', 0} end
redis.call('HSET', KEYS[1], 'leaseNode', '', 'leaseExpiresAt', '0')
return {'OK', 1}
`,
);

/*
 * The index behind count() and list(): two sorted sets sharing the hash tag `{rooms}` (one slot):
 * `<prefix>{rooms}:expiry` (member code, score the room's expiry) and `<prefix>{rooms}:codes` (member code,
 * score 0, for paging in code order). On a single node the room scripts above keep the expiry score equal to
 * the room's own expiry, in the same step; on a Cluster redis.ts keeps it at or a little after the expiry with
 * the scripts below. Rooms expire by TTL alone; the sweep drops their entries once the score has passed.
 * Index scripts: KEYS[1] expiry zset, KEYS[2] codes zset.
 */

/** The key-type check of the index scripts: KEYS[1] and KEYS[2] must be sorted sets (or absent). */
const INDEX_TYPES = `${WRONG_TYPE}
local function index_refusal()
  return wrong_type(1, 'zset') or wrong_type(2, 'zset')
end
`;

/**
 * Cluster only: remembers which code a create's requestId is trying, before the room is written (so a create
 * retried after a lost reply finds the room), or answers the code an earlier try used.
 * KEYS[1] expiry zset, KEYS[2] codes zset, KEYS[3] the requestId's mapping. ARGV: 1 code, 2 '1' to follow the
 * mapping, 3 ttlMs. Reply: {'OK'}, {'ELSEWHERE', code} or CORRUPT.
 */
export const CLAIM_REQUEST = new RedisScript(
  'rooms.claimRequest',
  `${INDEX_TYPES}
local refusal = index_refusal() or wrong_type(3, 'string')
if refusal then return refusal end
if ARGV[2] == '1' then
  local earlier = redis.call('GET', KEYS[3])
  if earlier and earlier ~= ARGV[1] then return {'ELSEWHERE', earlier} end
end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[3])
return {'OK'}
`,
);

/**
 * Cluster only: records a room's index deadline; the score only grows, so a late, stale update cannot shorten
 * it. ARGV: 1 code, 2 deadline. Reply: {'OK'} or CORRUPT.
 */
export const INDEX_ROOM = new RedisScript(
  'rooms.index',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return {'OK'}
`,
);

/** Cluster only: drops rooms from the index. ARGV: codes. Reply: {'OK'} or CORRUPT. */
export const UNINDEX_ROOMS = new RedisScript(
  'rooms.unindex',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
for i = 1, #ARGV, 500 do
  local chunk = {unpack(ARGV, i, math.min(i + 499, #ARGV))}
  redis.call('ZREM', KEYS[1], unpack(chunk))
  redis.call('ZREM', KEYS[2], unpack(chunk))
end
return {'OK'}
`,
);

/**
 * Single node only: drops rooms from the index whose room key is gone, checked in the same step (a room made
 * again meanwhile keeps its entry). KEYS[1] expiry zset, KEYS[2] codes zset, KEYS[3..] the rooms' hashes.
 * ARGV: the rooms' codes, in the order of their keys. Reply: {'OK'} or CORRUPT.
 */
export const UNINDEX_GONE = new RedisScript(
  'rooms.unindexGone',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[i + 2]) == 0 then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
  end
end
return {'OK'}
`,
);

/** Counts live rooms: entries whose deadline is still ahead. Reply: {'OK', count} or CORRUPT. */
export const COUNT_ROOMS = new RedisScript(
  'rooms.count',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
return {'OK', redis.call('ZCOUNT', KEYS[1], '(' .. int(now_ms()), '+inf')}
`,
);

/**
 * One page of room codes after a cursor, in code order, live ones only.
 * ARGV: 1 cursor ('' = from the start), 2 limit.
 * Reply: {'OK', isExhausted (0/1), lastScanned, code, code, ...} or CORRUPT.
 */
export const LIST_ROOMS = new RedisScript(
  'rooms.list',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
local now = now_ms()
local from = '-'
if ARGV[1] ~= '' then from = '(' .. ARGV[1] end
local limit = tonumber(ARGV[2])
local scanned = redis.call('ZRANGE', KEYS[2], from, '+', 'BYLEX', 'LIMIT', 0, limit + 1)
local reply = {'OK', 0, ARGV[1]}
if #scanned <= limit then reply[2] = 1 end
for i = 1, math.min(#scanned, limit) do
  local score = redis.call('ZSCORE', KEYS[1], scanned[i])
  if score and tonumber(score) > now then table.insert(reply, scanned[i]) end
  reply[3] = scanned[i]
end
return reply
`,
);

/**
 * One bounded sweep step: removes up to ARGV[1] entries whose deadline has passed (single node: their room
 * has expired, the scores being exact). ARGV: 1 batch. Reply: {'OK', removed} or CORRUPT.
 */
export const SWEEP_INDEX = new RedisScript(
  'rooms.sweep',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
local gone = redis.call('ZRANGE', KEYS[1], '-inf', '(' .. int(now_ms()), 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
for i = 1, #gone, 500 do
  local chunk = {unpack(gone, i, math.min(i + 499, #gone))}
  redis.call('ZREM', KEYS[1], unpack(chunk))
  redis.call('ZREM', KEYS[2], unpack(chunk))
end
return {'OK', #gone}
`,
);

/**
 * Cluster only: up to ARGV[1] codes whose index deadline has passed, for redis.ts to check against their rooms
 * (which live in other slots) before removing them. Reply: {'OK', code, code, ...} or CORRUPT.
 */
export const EXPIRED_CANDIDATES = new RedisScript(
  'rooms.expiredCandidates',
  `${INDEX_TYPES}
local refusal = index_refusal()
if refusal then return refusal end
local gone = redis.call('ZRANGE', KEYS[1], '-inf', '(' .. int(now_ms()), 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
table.insert(gone, 1, 'OK')
return gone
`,
);
