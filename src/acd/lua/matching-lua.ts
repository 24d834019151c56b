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

-- Walks a sorted set in order, S.scanDepth entries per ZRANGE, calling visit(id, score) until it
-- returns true (then scan_zset returns true) or the set ends. Paging keeps every reply small;
-- walking on to the end is what makes matching complete: a qualified agent (or a call an agent
-- can take) behind any number of unsuitable entries is still found, in the same script and so in
-- the same round trip. With from_score, only entries scoring >= from_score are walked.
local function scan_zset(key, visit, from_score)
  local depth = S.scanDepth
  local offset = 0
  while true do
    local page
    if from_score then
      page = redis.call('ZRANGEBYSCORE', key, from_score, '+inf', 'WITHSCORES', 'LIMIT', offset, depth)
    else
      page = redis.call('ZRANGE', key, offset, offset + depth - 1, 'WITHSCORES')
    end
    for i = 1, #page, 2 do
      if visit(page[i], tonumber(page[i + 1])) then return true end
    end
    if #page < 2 * depth then return false end
    offset = offset + depth
  end
end

-- The first ready agent of a ready index (in its order) matching the stage; skip(id, score) may
-- rule entries out before they are loaded.
local function first_ready_match(key, st, from_score, skip)
  local found = nil
  scan_zset(key, function(id, score)
    if skip and skip(id, score) then return false end
    local a = load_agent(id)
    if a and a.state == 'ready' and agent_matches(a, st) then
      found = a
      return true
    end
    return false
  end, from_score)
  return found
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
    -- Only members having the first required skill can match: scan their index, not everyone.
    -- Same scores as the queue's index, so every strategy (and round-robin memory) works unchanged.
    if st.skills and st.skills[1] then key = K.readySkill(c.queue, st.skills[1].skill) end
    local q = load_queue(c.queue)
    if q then strategy = q.strategy end
  end
  if strategy == 'round_robin' then
    local memory = redis.call('HMGET', K.queue(c.queue), 'rrScore', 'rrId')
    local last_score = tonumber(memory[1])
    local last_id = memory[2] or ''
    if last_score then
      -- The next agent after the one served last (ties in score go by id, as the sorted set orders them) …
      local after = first_ready_match(key, st, last_score, function(id, score)
        return not (score > last_score or id > last_id)
      end)
      if after then return after end
    end
    -- … wrapping round to the start.
    return first_ready_match(key, st)
  elseif strategy == 'weighted_random' then
    local pool, total = {}, 0
    scan_zset(key, function(id)
      local a = load_agent(id)
      if a and a.state == 'ready' and agent_matches(a, st) then
        local weight = a.profile.weight or 1
        total = total + weight
        pool[#pool + 1] = { a, weight }
      end
      return false
    end)
    if total == 0 then return nil end
    local r = rand() * total
    for _, entry in ipairs(pool) do
      r = r - entry[2]
      if r < 0 then return entry[1] end
    end
    return pool[#pool][1]
  end
  return first_ready_match(key, st)
end

-- The best waiting call a ready agent can take: highest priority, then longest waiting,
-- across the queues they serve and the pools that name them, their department or kind.
-- Each pool is walked until its first call the agent can take, or until its calls rank behind
-- the best found so far.
local function pick_call_for_agent(a)
  local best, best_score = nil, nil
  local function consider(key)
    scan_zset(key, function(id, score)
      if best_score and score >= best_score then return true end
      local c = load_call(id)
      if c and c.state == 'waiting' and agent_matches(a, stage_of(c)) then
        best, best_score = c, score
        return true
      end
      return false
    end)
  end
  for _, qid in ipairs(a.profile.queues) do consider(K.wantQueue(qid)) end
  consider(K.wantAgent(a.id))
  if a.profile.department then consider(K.wantDept(a.profile.department)) end
  consider(K.wantKind(a.profile.kind))
  return best
end

-- Preconditions (checked by callers): c.state == 'waiting', a.state == 'ready'.
-- The holder rings the agent: for a caller waiting on the line that is the process holding the caller's leg
-- (its owner), whichever process's run made the match (an agent set ready through another process, another
-- process's housekeeping); the script's caller forwards the reservation to it (acd.ts). A callback request has no
-- leg: the process that matched it dials it.
local function reserve(c, a, st)
  local q = load_queue(c.queue)
  local deadline = NOW + ((q and q.reserveTimeoutMs) or 5000)
  local ring_ms = st.ringMs or (q and q.ringTimeoutMs) or 20000
  local holder = NODE
  if c.kind == 'call' and c.owner ~= nil and c.owner ~= '' then holder = c.owner end
  unindex_waiting(c)
  c.agent, c.holder, c.deadline, c.ringMs = a.id, holder, deadline, ring_ms
  redis.call('HSET', K.call(c.id), 'agent', a.id, 'holder', holder, 'deadline', deadline, 'reservedAt', NOW, 'ringMs', ring_ms)
  redis.call('ZADD', K.reservations(), deadline, c.id)
  redis.call('SADD', K.held(holder), c.id)
  agent_transition(a, 'reserved', '', 'acd', { call = c.id })
  if st.scope.type == 'queue' and q and q.strategy == 'round_robin' then
    redis.call('HSET', K.queue(c.queue), 'rrScore', a.order, 'rrId', a.id)
  end
  call_transition(c, 'reserved', { type = 'call_reserved', agentId = a.id, holder = holder, owner = c.owner, stage = c.stageIdx - 1 })
  OUT.reservations[#OUT.reservations + 1] = { callId = c.id, agentId = a.id, queueId = c.queue, kind = c.kind,
    owner = c.owner, holder = holder, deadline = deadline, ringMs = ring_ms, callbackNumber = c.callbackNumber, meta = c.meta }
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

-- A safety net run by housekeeping, not what keeps the invariant (enqueue, release, stage changes
-- and agents becoming ready do that, with complete scans): so it looks at the head of the line only.
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

-- A waiting call becomes a callback request at the same place; its caller leg may now end. For
-- the statistics the offered call's outcome is "callback requested" (it is neither answered nor
-- abandoned); the request itself later ends completed (connected) or cancelled.
local function to_callback(c, number, why)
  if c.owner ~= '' then redis.call('SREM', K.owned(c.owner), c.id) end
  c.owner = ''
  c.kind = 'callback'
  c.callbackNumber = number
  c.nextOverflow = ''
  redis.call('HSET', K.call(c.id), 'kind', 'callback', 'owner', '', 'callbackNumber', number, 'nextOverflow', '')
  redis.call('HINCRBY', K.queue(c.queue), 'callbacks', 1)
  redis.call('ZREM', K.overflowDue(), c.id)
  record(c.queue, { callbacks_requested = 1 })
  call_transition(c, 'waiting', { type = 'callback_requested', reason = why })
end

-- When a call overflowed to a person is not picked up by them within their ring time.
local DEFAULT_PERSON_FALLBACK = { type = 'callback' }

-- Preconditions: c is waiting and indexed. Returns the outcome name. A call that overflowed to a
-- person and now takes that person's fallback step was counted as overflowed already.
local function overflow(c, target, why)
  local from_queue = c.queue
  local counted = c.nextOverflow ~= ''
  if counted then
    c.nextOverflow = ''
    redis.call('HSET', K.call(c.id), 'nextOverflow', '')
  end
  local function count()
    if not counted then record(from_queue, { overflowed = 1 }) end
  end
  if target.type == 'queue' then
    local tq = load_queue(target.queueId)
    if tq then
      unindex_waiting(c)
      count()
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
    count()
    -- The person gets their ring time to pick the call up (ready or not); then the fallback step.
    local q = load_queue(from_queue)
    local ring_ms = target.ringMs or (q and q.ringTimeoutMs) or 20000
    local fallback = target['then'] or DEFAULT_PERSON_FALLBACK
    c.stages = { { afterMs = 0, scope = { type = 'agents', agentIds = { target.agentId } }, ringMs = ring_ms } }
    c.stageBase, c.stageFloor, c.hops = NOW, 0, c.hops + 1
    c.nextOverflow, c.overflowAt = cjson.encode(fallback), NOW + ring_ms
    redis.call('HSET', K.call(c.id), 'stages', cjson.encode(c.stages), 'stageBase', NOW, 'stageFloor', 0, 'hops', c.hops,
      'nextOverflow', c.nextOverflow, 'overflowAt', c.overflowAt)
    call_transition(c, 'waiting', { type = 'call_overflowed', reason = why, target = 'agent', targetId = target.agentId, ringMs = ring_ms })
    index_waiting(c)
    try_dispatch_call(c)
    return 'overflowed'
  end
  if target.type == 'callback' and c.callerNumber ~= '' then
    count()
    if counted then
      -- back from a named person: the callback is the queue's to place, under the queue's own plan
      local q = load_queue(c.queue)
      unindex_waiting(c)
      c.stages, c.stageBase, c.stageFloor = (q and q.stages) or c.stages, NOW, 0
      redis.call('HSET', K.call(c.id), 'stages', cjson.encode(c.stages), 'stageBase', NOW, 'stageFloor', 0)
      index_waiting(c)
    end
    emit({ type = 'call_overflowed', callId = c.id, queueId = c.queue, reason = why, target = 'callback', from = 'waiting', to = 'waiting' })
    to_callback(c, c.callerNumber, why)
    if counted then try_dispatch_call(c) end
    return 'callback'
  end
  unindex_waiting(c)
  count()
  call_transition(c, 'overflowed', { type = 'call_overflowed', reason = why, target = 'voicemail', waitMs = NOW - c.enqueuedAt })
  finish_call(c)
  return 'voicemail'
end

-- A reservation was given back and the call is waiting again. A call that overflowed to a named
-- person goes on to that person's fallback step when the person let it ring or their time is up;
-- any other call looks for its next agent.
local function continue_after_release(c, reason)
  if c.state ~= 'waiting' then return end
  if c.nextOverflow ~= '' and (reason == 'ring_no_answer' or NOW >= c.overflowAt) then
    overflow(c, cjson.decode(c.nextOverflow), 'target_timeout')
  else
    try_dispatch_call(c)
  end
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
