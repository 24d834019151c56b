/**
 * Lua for calls: loading, the call transition() (CALL_T injected from
 * call-state.ts), the stage rule, and keeping a waiting call in every index
 * that finds it (its queue, the pool of its active stage, timers).
 */
export const CALLS_LUA = `
local CALL_FIELDS = { 'state', 'queue', 'score', 'enqueuedAt', 'queuedAt', 'kind', 'priority', 'owner', 'holder',
  'agent', 'deadline', 'stages', 'stageBase', 'stageIdx', 'stageFloor', 'callerNumber', 'callbackNumber',
  'reservedAt', 'offeredAt', 'answeredAt', 'ringMs', 'hops', 'meta', 'nextOverflow', 'overflowAt' }
local CALL_NUMBERS = { 'score', 'enqueuedAt', 'queuedAt', 'priority', 'deadline', 'stageBase', 'stageIdx',
  'stageFloor', 'reservedAt', 'offeredAt', 'answeredAt', 'ringMs', 'hops', 'overflowAt' }
local call_cache = {}

local function load_call(id)
  local c = call_cache[id]
  if c == nil then
    local v = redis.call('HMGET', K.call(id), unpack(CALL_FIELDS))
    if not v[1] then
      c = false
    else
      c = { id = id }
      for i, field in ipairs(CALL_FIELDS) do
        if v[i] then c[field] = v[i] else c[field] = '' end
      end
      for _, field in ipairs(CALL_NUMBERS) do c[field] = tonumber(c[field]) or 0 end
      c.stages = cjson.decode(c.stages)
    end
    call_cache[id] = c
  end
  if c then return c end
  return nil
end

local function need_call(id)
  local c = load_call(id)
  if not c then fail('NOT_FOUND', 'no call ' .. id) end
  return c
end

local function call_can(c, to)
  local allowed = CALL_T[c.state]
  return allowed ~= nil and allowed[to] == true
end

-- The one way a call's state changes: validate, write, emit (event may be nil for silent moves).
local function call_transition(c, to, event)
  if not call_can(c, to) then
    fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> ' .. to)
  end
  local from = c.state
  c.state = to
  redis.call('HSET', K.call(c.id), 'state', to)
  if event then
    event.callId = c.id
    event.queueId = c.queue
    event.from = from
    event.to = to
    if c.kind == 'callback' then event.callback = true end
    emit(event)
  end
end

local function stage_of(c)
  return c.stages[c.stageIdx] or c.stages[#c.stages]
end

-- Active stage: the last one whose afterMs has elapsed since stageBase, but never below
-- stageFloor (a named person who let it ring moves the call on at once).
local function compute_stage_idx(c)
  local elapsed = NOW - c.stageBase
  local idx = 1
  for i, st in ipairs(c.stages) do
    if st.afterMs <= elapsed then idx = i end
  end
  if c.stageFloor > idx then idx = c.stageFloor end
  if idx > #c.stages then idx = #c.stages end
  return idx
end

local function want_keys(c, st)
  local scope = st.scope
  if scope.type == 'agents' then
    local keys = {}
    for i, id in ipairs(scope.agentIds) do keys[i] = K.wantAgent(id) end
    return keys
  elseif scope.type == 'department' then
    return { K.wantDept(scope.department) }
  elseif scope.type == 'kind' then
    return { K.wantKind(scope.kind) }
  end
  return { K.wantQueue(c.queue) }
end

local function index_waiting(c)
  c.stageIdx = compute_stage_idx(c)
  redis.call('HSET', K.call(c.id), 'stageIdx', c.stageIdx)
  redis.call('ZADD', K.waiting(c.queue), c.score, c.id)
  redis.call('ZADD', K.since(c.queue), c.queuedAt, c.id)
  for _, key in ipairs(want_keys(c, stage_of(c))) do redis.call('ZADD', key, c.score, c.id) end
  local next_stage = c.stages[c.stageIdx + 1]
  if next_stage then redis.call('ZADD', K.stageDue(), c.stageBase + next_stage.afterMs, c.id) end
  local q = load_queue(c.queue)
  if c.kind == 'call' then
    if c.nextOverflow ~= '' then
      -- overflowed to a named person: their ring time, not the queue's max wait, decides what is next
      redis.call('ZADD', K.overflowDue(), c.overflowAt, c.id)
    elseif q and q.maxWaitMs and c.hops < S.maxOverflowHops then
      redis.call('ZADD', K.overflowDue(), c.queuedAt + q.maxWaitMs, c.id)
    end
  end
  if c.kind == 'callback' then redis.call('HINCRBY', K.queue(c.queue), 'callbacks', 1) end
end

local function unindex_waiting(c)
  redis.call('ZREM', K.waiting(c.queue), c.id)
  redis.call('ZREM', K.since(c.queue), c.id)
  for _, key in ipairs(want_keys(c, stage_of(c))) do redis.call('ZREM', key, c.id) end
  redis.call('ZREM', K.stageDue(), c.id)
  redis.call('ZREM', K.overflowDue(), c.id)
  if c.kind == 'callback' then redis.call('HINCRBY', K.queue(c.queue), 'callbacks', -1) end
end

-- A call reached a terminal state: it leaves its owner's books; the record stays a while for inspection.
local function finish_call(c)
  if c.owner ~= '' then redis.call('SREM', K.owned(c.owner), c.id) end
  if c.holder ~= '' then redis.call('SREM', K.held(c.holder), c.id) end
  redis.call('ZREM', K.reservations(), c.id)
  redis.call('EXPIRE', K.call(c.id), S.finishedTtlSec)
end

local function queue_wait(c)
  return math.max(0, NOW - c.queuedAt)
end
`;
