/**
 * Lua for matching calls and agents and for everything that moves a call
 * between waiting and reserved: reserve, release (back to the same place),
 * overflow, callback conversion, and losing calls of dead processes.
 *
 * Invariant kept by every operation: no waiting call has a ready agent that
 * matches its active stage. So an agent becoming ready only needs to look for
 * the best call it can take, and a new call only for the best agent.
 */
export const MATCHING_LUA = `
local function has_value(list, value)
  if not list then return false end
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

local function agent_matches(a, st)
  local p = a.profile
  if st.skills then
    for _, req in ipairs(st.skills) do
      local level = p.skills[req.skill]
      if level == nil or level < req.minLevel then return false end
    end
  end
  if st.languages and #st.languages > 0 then
    local speaks = false
    for _, lang in ipairs(st.languages) do
      if has_value(p.languages, lang) then speaks = true end
    end
    if not speaks then return false end
  end
  if st.kinds and #st.kinds > 0 and not has_value(st.kinds, p.kind) then return false end
  if st.department and p.department ~= st.department then return false end
  return true
end

local function first_match(ids, st)
  for _, id in ipairs(ids) do
    local a = load_agent(id)
    if a and a.state == 'ready' and agent_matches(a, st) then return a end
  end
  return nil
end

-- The best ready agent for a call under its active stage, or nil.
local function pick_agent(c, st)
  local scope = st.scope
  if scope.type == 'agents' then return first_match(scope.agentIds, st) end
  local key
  local strategy = 'longest_idle'
  if scope.type == 'department' then
    key = K.readyDept(scope.department)
  elseif scope.type == 'kind' then
    key = K.readyKind(scope.kind)
  else
    key = K.readyQueue(c.queue)
    local q = load_queue(c.queue)
    if q then strategy = q.strategy end
  end
  local depth = S.scanDepth
  if strategy == 'round_robin' then
    local memory = redis.call('HMGET', K.queue(c.queue), 'rrScore', 'rrId')
    local last_score = tonumber(memory[1])
    local last_id = memory[2] or ''
    if last_score then
      local after = redis.call('ZRANGEBYSCORE', key, last_score, '+inf', 'WITHSCORES', 'LIMIT', 0, depth)
      for i = 1, #after, 2 do
        local id, score = after[i], tonumber(after[i + 1])
        if score > last_score or id > last_id then
          local a = load_agent(id)
          if a and a.state == 'ready' and agent_matches(a, st) then return a end
        end
      end
    end
    return first_match(redis.call('ZRANGE', key, 0, depth - 1), st)
  elseif strategy == 'weighted_random' then
    local pool, total = {}, 0
    for _, id in ipairs(redis.call('ZRANGE', key, 0, depth - 1)) do
      local a = load_agent(id)
      if a and a.state == 'ready' and agent_matches(a, st) then
        local weight = a.profile.weight or 1
        total = total + weight
        pool[#pool + 1] = { a, weight }
      end
    end
    if total == 0 then return nil end
    local r = rand() * total
    for _, entry in ipairs(pool) do
      r = r - entry[2]
      if r < 0 then return entry[1] end
    end
    return pool[#pool][1]
  end
  return first_match(redis.call('ZRANGE', key, 0, depth - 1), st)
end

-- The best waiting call a ready agent can take: highest priority, then longest waiting,
-- across the queues they serve and the pools that name them, their department or kind.
local function pick_call_for_agent(a)
  local best, best_score = nil, nil
  local function consider(key)
    local items = redis.call('ZRANGE', key, 0, S.scanDepth - 1, 'WITHSCORES')
    for i = 1, #items, 2 do
      local score = tonumber(items[i + 1])
      if best_score and score >= best_score then return end
      local c = load_call(items[i])
      if c and c.state == 'waiting' and agent_matches(a, stage_of(c)) then
        best, best_score = c, score
        return
      end
    end
  end
  for _, qid in ipairs(a.profile.queues) do consider(K.wantQueue(qid)) end
  consider(K.wantAgent(a.id))
  if a.profile.department then consider(K.wantDept(a.profile.department)) end
  consider(K.wantKind(a.profile.kind))
  return best
end

-- Preconditions (checked by callers): c.state == 'waiting', a.state == 'ready'.
local function reserve(c, a, st)
  local q = load_queue(c.queue)
  local deadline = NOW + ((q and q.reserveTimeoutMs) or 5000)
  local ring_ms = st.ringMs or (q and q.ringTimeoutMs) or 20000
  unindex_waiting(c)
  c.agent, c.holder, c.deadline, c.ringMs = a.id, NODE, deadline, ring_ms
  redis.call('HSET', K.call(c.id), 'agent', a.id, 'holder', NODE, 'deadline', deadline, 'reservedAt', NOW, 'ringMs', ring_ms)
  redis.call('ZADD', K.reservations(), deadline, c.id)
  redis.call('SADD', K.held(NODE), c.id)
  agent_transition(a, 'reserved', '', 'acd', { call = c.id })
  if st.scope.type == 'queue' and q and q.strategy == 'round_robin' then
    redis.call('HSET', K.queue(c.queue), 'rrScore', a.order, 'rrId', a.id)
  end
  call_transition(c, 'reserved', { type = 'call_reserved', agentId = a.id, holder = NODE, owner = c.owner, stage = c.stageIdx - 1 })
  OUT.reservations[#OUT.reservations + 1] = { callId = c.id, agentId = a.id, queueId = c.queue, kind = c.kind,
    owner = c.owner, deadline = deadline, ringMs = ring_ms, callbackNumber = c.callbackNumber, meta = c.meta }
end

local function try_dispatch_call(c)
  if c.state ~= 'waiting' then return false end
  local st = stage_of(c)
  local a = pick_agent(c, st)
  if a then
    reserve(c, a, st)
    return true
  end
  return false
end

local function dispatch_agent(a)
  if a.state ~= 'ready' then return false end
  local c = pick_call_for_agent(a)
  if c then
    reserve(c, a, stage_of(c))
    return true
  end
  return false
end

local function dispatch_queue(qid)
  local n = 0
  if redis.call('ZCARD', K.readyQueue(qid)) == 0 then return 0 end
  for _, id in ipairs(redis.call('ZRANGE', K.wantQueue(qid), 0, S.scanDepth - 1)) do
    local c = load_call(id)
    if c and try_dispatch_call(c) then
      n = n + 1
      if redis.call('ZCARD', K.readyQueue(qid)) == 0 then break end
    end
  end
  return n
end

-- Takes a reserved/offered call back to waiting at its original score (same place in line).
-- Returns the released agent (or nil). Validates before writing.
local function release(c, reason, agent_to, agent_reason, by)
  if not call_can(c, 'waiting') then
    fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> waiting')
  end
  local a = nil
  if c.agent ~= '' then a = load_agent(c.agent) end
  local agent_moves = a and a.state == 'reserved' and a.call == c.id
  if agent_moves and not agent_can(a, agent_to) then
    fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ': ' .. a.state .. ' -> ' .. agent_to)
  end
  redis.call('ZREM', K.reservations(), c.id)
  if c.holder ~= '' then redis.call('SREM', K.held(c.holder), c.id) end
  local previous_agent = c.agent
  c.agent, c.holder, c.deadline = '', '', 0
  redis.call('HSET', K.call(c.id), 'agent', '', 'holder', '', 'deadline', 0)
  if agent_moves then agent_transition(a, agent_to, agent_reason, by, { callId = c.id }) end
  -- "Ring a named person for N seconds, then fall through": no answer moves the call on at once.
  if reason == 'ring_no_answer' and stage_of(c).scope.type == 'agents' and c.stageIdx < #c.stages then
    c.stageFloor = c.stageIdx + 1
    redis.call('HSET', K.call(c.id), 'stageFloor', c.stageFloor)
  end
  call_transition(c, 'waiting', { type = 'call_released', reason = reason, agentId = previous_agent })
  index_waiting(c)
  if agent_moves then return a end
  return nil
end

-- A waiting call becomes a callback request at the same place; its caller leg may now end.
local function to_callback(c, number, why)
  if c.owner ~= '' then redis.call('SREM', K.owned(c.owner), c.id) end
  c.owner = ''
  c.kind = 'callback'
  c.callbackNumber = number
  redis.call('HSET', K.call(c.id), 'kind', 'callback', 'owner', '', 'callbackNumber', number)
  redis.call('HINCRBY', K.queue(c.queue), 'callbacks', 1)
  redis.call('ZREM', K.overflowDue(), c.id)
  call_transition(c, 'waiting', { type = 'callback_requested', reason = why })
end

-- Preconditions: c is waiting and indexed. Returns the outcome name.
local function overflow(c, target, why)
  local from_queue = c.queue
  if target.type == 'queue' then
    local tq = load_queue(target.queueId)
    if tq then
      unindex_waiting(c)
      record(from_queue, { overflowed = 1 })
      local band = math.floor(c.score / PRIORITY_BAND)
      -- The caller's seniority travels with them: ordered by their first arrival in the new queue.
      c.queue, c.queuedAt, c.score = tq.id, NOW, band * PRIORITY_BAND + c.enqueuedAt
      c.stages, c.stageBase, c.stageFloor, c.hops = tq.stages, NOW, 0, c.hops + 1
      redis.call('HSET', K.call(c.id), 'queue', c.queue, 'queuedAt', NOW, 'score', c.score,
        'stages', cjson.encode(c.stages), 'stageBase', NOW, 'stageFloor', 0, 'hops', c.hops)
      call_transition(c, 'waiting', { type = 'call_overflowed', reason = why, fromQueue = from_queue, target = 'queue', targetId = tq.id })
      record(tq.id, { offered = 1 })
      index_waiting(c)
      try_dispatch_call(c)
      return 'overflowed'
    end
    target = { type = 'voicemail' }
  end
  if target.type == 'agent' then
    unindex_waiting(c)
    record(from_queue, { overflowed = 1 })
    c.stages = { { afterMs = 0, scope = { type = 'agents', agentIds = { target.agentId } }, ringMs = target.ringMs } }
    c.stageBase, c.stageFloor, c.hops = NOW, 0, S.maxOverflowHops
    redis.call('HSET', K.call(c.id), 'stages', cjson.encode(c.stages), 'stageBase', NOW, 'stageFloor', 0, 'hops', c.hops)
    call_transition(c, 'waiting', { type = 'call_overflowed', reason = why, target = 'agent', targetId = target.agentId })
    index_waiting(c)
    try_dispatch_call(c)
    return 'overflowed'
  end
  if target.type == 'callback' and c.callerNumber ~= '' then
    record(from_queue, { overflowed = 1 })
    emit({ type = 'call_overflowed', callId = c.id, queueId = c.queue, reason = why, target = 'callback', from = 'waiting', to = 'waiting' })
    to_callback(c, c.callerNumber, why)
    return 'callback'
  end
  unindex_waiting(c)
  record(from_queue, { overflowed = 1 })
  call_transition(c, 'overflowed', { type = 'call_overflowed', reason = why, target = 'voicemail', waitMs = NOW - c.enqueuedAt })
  finish_call(c)
  return 'voicemail'
end

-- The process holding the caller's leg is gone: the call is lost; any agent on it is freed.
local function lose_call(c, reason, freed)
  local a = nil
  if c.agent ~= '' then a = load_agent(c.agent) end
  local previous = c.state
  if previous == 'waiting' then unindex_waiting(c) end
  if previous == 'reserved' or previous == 'offered' then
    if a and a.state == 'reserved' and a.call == c.id then
      agent_transition(a, 'ready', '', 'reaper', { callId = c.id })
      freed[#freed + 1] = a
    end
  elseif previous == 'connected' then
    if a and a.state == 'on_call' and a.call == c.id then
      local q = load_queue(c.queue)
      local wrap_ms = a.profile.wrapUpMs or (q and q.wrapUpMs) or 0
      agent_transition(a, 'wrap_up', reason, 'reaper', { callId = c.id, fields = { 'wrapStart', NOW,
        'wrapUntil', NOW + wrap_ms, 'wrapExtended', '0', 'lastQueue', c.queue, 'lastTalkMs', NOW - c.answeredAt, 'lastCall', c.id } })
      redis.call('ZADD', K.wrapUps(), NOW + wrap_ms, a.id)
    end
  end
  call_transition(c, 'lost', { type = 'call_lost', reason = reason, agentId = c.agent })
  finish_call(c)
end

-- Cleans up after a process that stopped heartbeating (or left): reservations it held go back
-- (their callers keep their places); calls whose caller leg it held are lost.
local function reap_node(dead, reason, freed)
  local released, lost = 0, 0
  for _, id in ipairs(redis.call('SMEMBERS', K.held(dead))) do
    local c = load_call(id)
    if c and (c.state == 'reserved' or c.state == 'offered') and c.holder == dead then
      local a = release(c, 'holder_died', 'ready', '', 'reaper')
      if a then freed[#freed + 1] = a end
      released = released + 1
    end
  end
  for _, id in ipairs(redis.call('SMEMBERS', K.owned(dead))) do
    local c = load_call(id)
    if c and c.owner == dead and call_can(c, 'lost') then
      lose_call(c, 'owner_died', freed)
      lost = lost + 1
    end
  end
  redis.call('DEL', K.held(dead), K.owned(dead))
  redis.call('SREM', K.nodes(), dead)
  emit({ type = 'node_died', deadNode = dead, reason = reason, released = released, lost = lost })
  return released + lost
end
`;
