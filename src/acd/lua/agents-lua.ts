/**
 * Lua for agents: loading, the ready indexes each strategy reads, the
 * per-queue state counters, and the one agent transition() every script uses.
 * AGENT_T (the transition table from agent-state.ts) is injected before this.
 */
export const AGENTS_LUA = `
local AGENT_FIELDS = { 'state', 'reason', 'since', 'call', 'idleSince', 'callsDay', 'callsToday', 'wrapUntil',
  'wrapStart', 'wrapExtended', 'profile', 'seq', 'lastQueue', 'lastTalkMs', 'lastCall' }
local agent_cache = {}

local function load_agent(id)
  local a = agent_cache[id]
  if a == nil then
    local v = redis.call('HMGET', K.agent(id), unpack(AGENT_FIELDS))
    if not v[1] then
      a = false
    else
      a = { id = id }
      for i, field in ipairs(AGENT_FIELDS) do
        if v[i] then a[field] = v[i] else a[field] = '' end
      end
      a.profile = cjson.decode(a.profile)
      a.idleSince = tonumber(a.idleSince) or 0
      a.callsToday = tonumber(a.callsToday) or 0
      a.seq = tonumber(a.seq) or 0
      a.order = a.profile.order or a.seq
      a.wrapUntil = tonumber(a.wrapUntil) or 0
      a.wrapStart = tonumber(a.wrapStart) or 0
      a.lastTalkMs = tonumber(a.lastTalkMs) or 0
    end
    agent_cache[id] = a
  end
  if a then return a end
  return nil
end

local function need_agent(id)
  local a = load_agent(id)
  if not a then fail('NOT_FOUND', 'no agent ' .. id) end
  return a
end

local function calls_today(a)
  if a.callsDay == DAY then return a.callsToday end
  return 0
end

-- The order in which a queue's strategy ranks its ready agents (lowest first).
local function strategy_score(q, a)
  local s = q.strategy
  if s == 'fewest_calls' then
    -- ties between equally busy agents go to the one idle longest (seconds fit in the low digits)
    return calls_today(a) * 1e10 + math.floor(a.idleSince / 1000)
  elseif s == 'round_robin' or s == 'linear' then
    return a.order
  end
  return a.idleSince
end

-- A ready member in a queue's ready index and in the queue's index of each skill they have.
local function index_ready_member(q, a)
  local score = strategy_score(q, a)
  redis.call('ZADD', K.readyQueue(q.id), score, a.id)
  for skill in pairs(a.profile.skills) do redis.call('ZADD', K.readySkill(q.id, skill), score, a.id) end
end

local function add_ready(a)
  local p = a.profile
  for _, qid in ipairs(p.queues) do
    local q = load_queue(qid)
    if q then index_ready_member(q, a) end
  end
  if p.department then redis.call('ZADD', K.readyDept(p.department), a.idleSince, a.id) end
  redis.call('ZADD', K.readyKind(p.kind), a.idleSince, a.id)
end

local function remove_ready(a)
  local p = a.profile
  for _, qid in ipairs(p.queues) do
    redis.call('ZREM', K.readyQueue(qid), a.id)
    for skill in pairs(p.skills) do redis.call('ZREM', K.readySkill(qid, skill), a.id) end
  end
  if p.department then redis.call('ZREM', K.readyDept(p.department), a.id) end
  redis.call('ZREM', K.readyKind(p.kind), a.id)
end

local function count_state(a, from, to)
  for _, qid in ipairs(a.profile.queues) do
    local key = K.queueStates(qid)
    if from then redis.call('HINCRBY', key, from, -1) end
    if to then redis.call('HINCRBY', key, to, 1) end
  end
end

local function agent_can(a, to)
  local allowed = AGENT_T[a.state]
  return allowed ~= nil and allowed[to] == true
end

-- Wrap-up is over: the handle time (talk + wrap-up) is now known.
local function finish_wrap(a)
  if a.lastQueue == '' then return end
  local handle = a.lastTalkMs + math.max(0, NOW - a.wrapStart)
  record(a.lastQueue, { handled = 1, handle_ms = handle })
  redis.call('LPUSH', K.recentHandle(a.lastQueue), math.floor(handle))
  redis.call('LTRIM', K.recentHandle(a.lastQueue), 0, S.recentHandles - 1)
end

-- The one way agent state changes: validate against the table, write, emit.
-- extra: { call = <call id or ''>, fields = { name, value, ... } }
local function agent_transition(a, to, reason, by, extra)
  local from = a.state
  if not agent_can(a, to) then
    fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ': ' .. from .. ' -> ' .. to)
  end
  if from == 'ready' and to ~= 'ready' then remove_ready(a) end
  if from == 'wrap_up' and to ~= 'wrap_up' then
    redis.call('ZREM', K.wrapUps(), a.id)
    finish_wrap(a)
  end
  a.state = to
  a.reason = reason or ''
  local fields = { 'state', to, 'reason', a.reason, 'since', NOW }
  if to == 'ready' and from ~= 'ready' then
    -- Back from a released reservation the agent was never busy: keep their place in the idle order.
    if from ~= 'reserved' then a.idleSince = NOW end
    fields[#fields + 1] = 'idleSince'
    fields[#fields + 1] = a.idleSince
  end
  local call = ''
  if extra and extra.call then call = extra.call end
  if to ~= 'reserved' and to ~= 'on_call' then call = '' end
  a.call = call
  fields[#fields + 1] = 'call'
  fields[#fields + 1] = call
  if extra and extra.fields then
    for i = 1, #extra.fields, 2 do
      fields[#fields + 1] = extra.fields[i]
      fields[#fields + 1] = extra.fields[i + 1]
      a[extra.fields[i]] = extra.fields[i + 1]
    end
  end
  redis.call('HSET', K.agent(a.id), unpack(fields))
  if to == 'ready' and from ~= 'ready' then add_ready(a) end
  if from ~= to then count_state(a, from, to) end
  local event = { type = 'agent_state', agentId = a.id, from = from, to = to, by = by or 'acd' }
  if a.reason ~= '' then event.reason = a.reason end
  local related = (extra and extra.callId) or call
  if related ~= '' then event.callId = related end
  emit(event)
end
`;
