/**
 * Lua prelude shared by every ACD operation: arguments, the deterministic
 * random source, errors, events and statistics counters.
 *
 * Arguments (no KEYS: key names are built from the prefix at run time):
 *   ARGV[1] prefix (declared by the assembler, before the key builders)
 *    ARGV[2] now (ms, from the injectable clock — never TIME)
 *   ARGV[3] node id  ARGV[4] random seed in [0,1)   ARGV[5] day (YYYY-MM-DD)
 *   ARGV[6] settings JSON   ARGV[7] operation   ARGV[8] input JSON
 *
 * Scripts are not transactional on error: everything written before an
 * error() stays written. So every operation validates first and writes after;
 * `fail` must never be reached once the first write is done.
 */
export const PRELUDE_LUA = `
local NOW = tonumber(ARGV[2])
local NODE = ARGV[3]
local SEED = tonumber(ARGV[4])
local DAY = ARGV[5]
local S = cjson.decode(ARGV[6])
local OP = ARGV[7]
local IN = cjson.decode(ARGV[8])
local MINUTE = math.floor(NOW / 60000)

-- What the operation hands back: reservations this node now holds, and op-specific fields.
local OUT = { reservations = {} }

-- Park-Miller generator seeded by the caller, so weighted-random picks are reproducible in tests.
local rng_state = math.floor(SEED * 2147483645) + 1
local function rand()
  rng_state = (rng_state * 16807) % 2147483647
  return (rng_state - 1) / 2147483646
end

local function fail(code, message)
  error({ err = 'ACD|' .. code .. '|' .. message .. '|' })
end

-- Every state change is published live and appended to the durable stream, inside
-- the same atomic script, so the stream order is the true order of changes.
local function emit(event)
  event.ts = NOW
  event.node = NODE
  local json = cjson.encode(event)
  redis.call('PUBLISH', K.events(), json)
  -- Never trimmed here: the writers trim what they have stored (acd-event-writer.ts).
  redis.call('XADD', K.eventStream(), '*', 'e', json)
end

local function record(queue_id, fields)
  local day_key = K.statsDay(queue_id, DAY)
  local minute_key = K.statsMinute(queue_id, MINUTE)
  for field, value in pairs(fields) do
    local v = math.floor(value)
    if v ~= 0 then
      redis.call('HINCRBY', day_key, field, v)
      redis.call('HINCRBY', minute_key, field, v)
    end
  end
  redis.call('EXPIRE', day_key, 8 * 86400)
  redis.call('EXPIRE', minute_key, S.windowMaxMinutes * 60 + 120)
end

local queue_cache = {}
local function load_queue(id)
  local q = queue_cache[id]
  if q == nil then
    local raw = redis.call('HGET', K.queue(id), 'config')
    if raw then q = cjson.decode(raw) else q = false end
    queue_cache[id] = q
  end
  if q then return q end
  return nil
end

local function need_queue(id)
  local q = load_queue(id)
  if not q then fail('NOT_FOUND', 'no queue ' .. id) end
  return q
end

local function node_alive(id)
  return id ~= nil and id ~= '' and redis.call('EXISTS', K.node(id)) == 1
end
`;
