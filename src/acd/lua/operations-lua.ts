/**
 * Lua entry points: one function per operation, chosen by ARGV[7]. Each one is
 * a single atomic step (one EVALSHA, one round trip) that validates, changes
 * state, emits its events and, where an agent or a call became available,
 * makes the resulting reservation in the same step.
 */
export const OPERATIONS_LUA = `
local function present_agents(qid)
  local counts = redis.call('HMGET', K.queueStates(qid), 'ready', 'reserved', 'on_call', 'wrap_up', 'not_ready')
  local n = 0
  for _, v in ipairs(counts) do n = n + (tonumber(v) or 0) end
  return n
end

local function position_of(c)
  local rank = redis.call('ZRANK', K.waiting(c.queue), c.id)
  if rank then return rank + 1 end
  return nil
end

-- The queue's empty-queue policy for one call (enqueue applies it to new calls). Returns the
-- outcome name, or nil when the call keeps waiting (policy 'wait', no number to call back, or
-- the call has overflowed as often as allowed).
local function empty_policy_outcome(c, q)
  if q.emptyPolicy == 'overflow' and q.overflow and c.hops < S.maxOverflowHops then
    return overflow(c, q.overflow, 'empty_queue')
  elseif q.emptyPolicy == 'callback' and c.callerNumber ~= '' then
    to_callback(c, c.callerNumber, 'empty_queue')
    return 'callback'
  end
  return nil
end

-- Called on every change that may leave a queue with nobody logged in (an agent logging out or
-- leaving the queue): the callers already waiting get the queue's empty-queue policy now rather
-- than waiting for a max wait that may never come. This runs once, on that transition, over the
-- whole line (afterwards enqueue applies the policy to each new call), so housekeeping never
-- has to rescan lines whose callers cannot be moved.
local function apply_empty_policy(qid)
  local q = load_queue(qid)
  if not q or q.emptyPolicy == 'wait' or present_agents(qid) > 0 then return 0 end
  local n = 0
  for _, id in ipairs(redis.call('ZRANGE', K.waiting(qid), 0, -1)) do
    local c = load_call(id)
    if c and c.state == 'waiting' and c.kind == 'call' and c.queue == qid and empty_policy_outcome(c, q) then n = n + 1 end
  end
  return n
end

local ops = {}

function ops.define_queue()
  local id = IN.config.id
  local old = load_queue(id)
  redis.call('HSET', K.queue(id), 'config', IN.configJson)
  redis.call('SADD', K.queues(), id)
  queue_cache[id] = IN.config
  -- A new strategy ranks ready agents differently: rebuild the queue's ready index.
  redis.call('DEL', K.readyQueue(id))
  for _, agent_id in ipairs(redis.call('SMEMBERS', K.members(id))) do
    local a = load_agent(agent_id)
    -- (skill indexes hold ready members only: re-adding them overwrites every old score)
    if a and a.state == 'ready' then index_ready_member(IN.config, a) end
  end
  emit({ type = 'queue_defined', queueId = id, created = (old == nil) })
  dispatch_queue(id)
end

function ops.upsert_agent()
  local profile = IN.profile
  local a = load_agent(profile.id)
  local left = {}
  if a then
    for _, qid in ipairs(a.profile.queues) do
      left[#left + 1] = qid
      redis.call('SREM', K.members(qid), a.id)
      redis.call('HINCRBY', K.queueStates(qid), a.state, -1)
    end
    if a.state == 'ready' then remove_ready(a) end
    a.profile = profile
    a.order = profile.order or a.seq
    redis.call('HSET', K.agent(a.id), 'profile', IN.profileJson)
  else
    local seq = redis.call('INCR', K.agentSeq())
    redis.call('HSET', K.agent(profile.id), 'state', 'logged_out', 'reason', '', 'since', NOW, 'idleSince', NOW,
      'call', '', 'callsDay', DAY, 'callsToday', 0, 'profile', IN.profileJson, 'seq', seq)
    redis.call('SADD', K.agents(), profile.id)
    agent_cache[profile.id] = nil -- it was cached as missing
    a = load_agent(profile.id)
  end
  for _, qid in ipairs(profile.queues) do
    redis.call('SADD', K.members(qid), a.id)
    redis.call('HINCRBY', K.queueStates(qid), a.state, 1)
  end
  if a.state == 'ready' then
    add_ready(a)
    dispatch_agent(a)
  end
  emit({ type = 'agent_updated', agentId = a.id, by = IN.by })
  -- the queues this person no longer serves may have nobody logged in now
  for _, qid in ipairs(left) do apply_empty_policy(qid) end
end

-- A person (or a supervisor for them) asks for ready / not_ready / logged_out.
function ops.set_agent_state()
  local a = need_agent(IN.agentId)
  if IN.requireFrom then
    -- one state, or a list of them: a compare-and-set against what the caller last saw
    local allowed = IN.requireFrom
    if type(allowed) ~= 'table' then allowed = { allowed } end
    local matches = false
    for _, state in ipairs(allowed) do
      if a.state == state then matches = true end
    end
    if not matches then
      fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ' is ' .. a.state .. ', not ' .. table.concat(allowed, ' or '))
    end
  end
  if IN.requireReason and a.reason ~= IN.requireReason then
    fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ' is ' .. a.state .. ' (' .. a.reason .. '), not ' .. IN.requireReason)
  end
  agent_transition(a, IN.to, IN.reason, IN.by)
  if IN.to == 'ready' then dispatch_agent(a) end
  if IN.to == 'logged_out' then
    for _, qid in ipairs(a.profile.queues) do apply_empty_policy(qid) end
  end
  OUT.state = a.state
end

function ops.extend_wrap_up()
  local a = need_agent(IN.agentId)
  if a.state ~= 'wrap_up' then fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ' is ' .. a.state .. ', not wrap_up') end
  if a.wrapExtended == '1' then fail('ILLEGAL_TRANSITION', 'agent ' .. a.id .. ': wrap-up was already extended once') end
  local until_ms = math.max(a.wrapUntil, NOW) + IN.extraMs
  agent_transition(a, 'wrap_up', 'extended', IN.by, { fields = { 'wrapUntil', until_ms, 'wrapExtended', '1' } })
  redis.call('ZADD', K.wrapUps(), until_ms, a.id)
  OUT.wrapUntil = until_ms
end

function ops.enqueue()
  local q = need_queue(IN.queueId)
  if redis.call('EXISTS', K.call(IN.callId)) == 1 then fail('CONFLICT', 'call ' .. IN.callId .. ' is already known') end
  -- FIFO within a priority even when two calls arrive in one millisecond: tickets never repeat.
  local last = tonumber(redis.call('HGET', K.queue(q.id), 'lastTicket')) or 0
  local ticket = NOW
  if ticket <= last then ticket = last + 1 end
  redis.call('HSET', K.queue(q.id), 'lastTicket', ticket)
  local stages = IN.stages or q.stages
  local c = { id = IN.callId, state = 'waiting', queue = q.id, score = (PRIORITY_MAX - IN.priority) * PRIORITY_BAND + ticket,
    enqueuedAt = NOW, queuedAt = NOW, kind = 'call', priority = IN.priority, owner = NODE, holder = '', agent = '',
    deadline = 0, stages = stages, stageBase = NOW, stageIdx = 1, stageFloor = 0, callerNumber = IN.callerNumber or '',
    callbackNumber = '', reservedAt = 0, offeredAt = 0, answeredAt = 0, ringMs = 0, hops = 0, meta = IN.meta or '',
    nextOverflow = '', overflowAt = 0 }
  call_cache[c.id] = c
  redis.call('HSET', K.call(c.id), 'state', 'waiting', 'queue', c.queue, 'score', c.score, 'enqueuedAt', NOW,
    'queuedAt', NOW, 'kind', 'call', 'priority', c.priority, 'owner', NODE, 'holder', '', 'agent', '', 'deadline', 0,
    'stages', cjson.encode(stages), 'stageBase', NOW, 'stageIdx', 1, 'stageFloor', 0, 'callerNumber', c.callerNumber,
    'callbackNumber', '', 'hops', 0, 'meta', c.meta)
  redis.call('SADD', K.owned(NODE), c.id)
  record(q.id, { offered = 1 })
  emit({ type = 'call_enqueued', callId = c.id, queueId = q.id, priority = c.priority, owner = NODE, to = 'waiting' })
  index_waiting(c)
  OUT.outcome = 'queued'
  if q.emptyPolicy ~= 'wait' and present_agents(q.id) == 0 then
    OUT.outcome = empty_policy_outcome(c, q) or 'queued'
  else
    if try_dispatch_call(c) then OUT.outcome = 'reserved' end
  end
  OUT.queueId = c.queue
  OUT.position = position_of(c)
end

-- The holder confirms the agent's phone is ringing: the deadline becomes the ring timeout.
function ops.mark_offered()
  local c = need_call(IN.callId)
  if c.state ~= 'reserved' then fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> offered') end
  if c.agent ~= IN.agentId then fail('CONFLICT', 'call ' .. c.id .. ' is reserved for another agent') end
  local deadline = NOW + c.ringMs
  redis.call('HSET', K.call(c.id), 'offeredAt', NOW, 'deadline', deadline)
  redis.call('ZADD', K.reservations(), deadline, c.id)
  call_transition(c, 'offered', { type = 'call_offered', agentId = c.agent, holder = c.holder, ringMs = c.ringMs })
  OUT.deadline = deadline
end

function ops.answer()
  local c = need_call(IN.callId)
  if c.state ~= 'reserved' and c.state ~= 'offered' then
    fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> connected')
  end
  if c.agent ~= IN.agentId then fail('CONFLICT', 'call ' .. c.id .. ' is reserved for another agent') end
  local a = need_agent(c.agent)
  if a.state ~= 'reserved' or a.call ~= c.id then fail('CONFLICT', 'agent ' .. a.id .. ' does not hold call ' .. c.id) end
  redis.call('ZREM', K.reservations(), c.id)
  if c.holder ~= '' then redis.call('SREM', K.held(c.holder), c.id) end
  redis.call('HSET', K.call(c.id), 'answeredAt', NOW, 'deadline', 0)
  local count = calls_today(a) + 1
  agent_transition(a, 'on_call', '', 'acd', { call = c.id, fields = { 'callsDay', DAY, 'callsToday', count } })
  local waited = queue_wait(c)
  call_transition(c, 'connected', { type = 'call_answered', agentId = a.id, waitMs = NOW - c.enqueuedAt, queueWaitMs = waited })
  if c.kind == 'call' then
    local q = load_queue(c.queue)
    local within = 0
    if q and waited <= q.serviceLevelMs then within = 1 end
    record(c.queue, { answered = 1, answered_sl = within, wait_answered_ms = waited })
  else
    -- the callback was placed and the client is connected to the agent
    record(c.queue, { callbacks_completed = 1 })
  end
  OUT.waitMs = waited
end

function ops.ring_no_answer()
  local c = need_call(IN.callId)
  if c.state ~= 'reserved' and c.state ~= 'offered' then
    fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> waiting')
  end
  if c.agent ~= IN.agentId then fail('CONFLICT', 'call ' .. c.id .. ' is reserved for another agent') end
  -- An agent whose phone could not be reached at all is told apart from one who let it ring.
  local agent_reason = 'missed_call'
  if IN.unreachable == '1' then agent_reason = 'unreachable' end
  release(c, 'ring_no_answer', 'not_ready', agent_reason, IN.by)
  continue_after_release(c, 'ring_no_answer')
  OUT.position = position_of(c)
end

local function abandon(c)
  local a = nil
  if c.state == 'reserved' or c.state == 'offered' then
    a = load_agent(c.agent)
    if a and not (a.state == 'reserved' and a.call == c.id) then a = nil end
  end
  if not call_can(c, 'abandoned') then fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ': ' .. c.state .. ' -> abandoned') end
  if c.state == 'waiting' then unindex_waiting(c) end
  local waited = queue_wait(c)
  if a then agent_transition(a, 'ready', '', 'acd', { callId = c.id }) end
  call_transition(c, 'abandoned', { type = 'call_abandoned', waitMs = NOW - c.enqueuedAt, queueWaitMs = waited, agentId = c.agent })
  if c.kind == 'call' then
    local q = load_queue(c.queue)
    local short = 0
    if q and waited <= q.serviceLevelMs then short = 1 end
    record(c.queue, { abandoned = 1, abandoned_sl = short, wait_abandoned_ms = waited })
  elseif IN.heldBack ~= '1' then
    -- a callback request withdrawn, or the client could not be reached; one held back for
    -- its time (the client's calling window) is still pending and counts as nothing here
    record(c.queue, { callbacks_cancelled = 1 })
  else
    -- still one of the queue's callbacks waiting, out of the line until its time (enqueue_callback takes it back)
    redis.call('HINCRBY', K.queue(c.queue), 'callbacksHeld', 1)
  end
  finish_call(c)
  if a then dispatch_agent(a) end
  OUT.waitMs = waited
end

function ops.abandon()
  abandon(need_call(IN.callId))
end

-- Either side hung up. Before the answer it is an abandon; after it the agent goes to wrap-up.
function ops.hang_up()
  local c = need_call(IN.callId)
  if c.state ~= 'connected' then
    abandon(c)
    OUT.outcome = 'abandoned'
    return
  end
  local a = need_agent(c.agent)
  local q = load_queue(c.queue)
  local talk = NOW - c.answeredAt
  OUT.outcome = 'completed'
  OUT.talkMs = talk
  if a.state == 'on_call' and a.call == c.id then
    local wrap_ms = IN.wrapUpMs or a.profile.wrapUpMs or (q and q.wrapUpMs) or 0
    agent_transition(a, 'wrap_up', '', 'acd', { callId = c.id, fields = { 'wrapStart', NOW, 'wrapUntil', NOW + wrap_ms,
      'wrapExtended', '0', 'lastQueue', c.queue, 'lastTalkMs', talk, 'lastCall', c.id } })
    redis.call('ZADD', K.wrapUps(), NOW + wrap_ms, a.id)
    call_transition(c, 'completed', { type = 'call_completed', agentId = a.id, talkMs = talk, by = IN.by })
    finish_call(c)
    if wrap_ms == 0 then
      agent_transition(a, 'ready', 'wrap_up_done', 'acd')
      dispatch_agent(a)
    end
  else
    call_transition(c, 'completed', { type = 'call_completed', agentId = c.agent, talkMs = talk, by = IN.by })
    finish_call(c)
  end
end

function ops.request_callback()
  local c = need_call(IN.callId)
  if c.state ~= 'waiting' or c.kind ~= 'call' then
    fail('ILLEGAL_TRANSITION', 'call ' .. c.id .. ' (' .. c.state .. ', ' .. c.kind .. ') cannot become a callback request')
  end
  to_callback(c, IN.number, 'caller_request')
  OUT.position = position_of(c)
end

-- A callback request made afresh: a callback whose client did not answer, put back by the process
-- that placed it (callback-dialer.ts). With IN.ticket it takes the request's original place in the
-- line (its first arrival), else the end of the line. It waits like any callback request (no
-- owner, the number to call), and may be reserved at once.
function ops.enqueue_callback()
  local q = need_queue(IN.queueId)
  if redis.call('EXISTS', K.call(IN.callId)) == 1 then fail('CONFLICT', 'call ' .. IN.callId .. ' is already known') end
  local ticket = tonumber(IN.ticket)
  if not ticket then
    local last = tonumber(redis.call('HGET', K.queue(q.id), 'lastTicket')) or 0
    ticket = NOW
    if ticket <= last then ticket = last + 1 end
    redis.call('HSET', K.queue(q.id), 'lastTicket', ticket)
  end
  local c = { id = IN.callId, state = 'waiting', queue = q.id, score = (PRIORITY_MAX - IN.priority) * PRIORITY_BAND + ticket,
    enqueuedAt = NOW, queuedAt = NOW, kind = 'callback', priority = IN.priority, owner = '', holder = '', agent = '',
    deadline = 0, stages = q.stages, stageBase = NOW, stageIdx = 1, stageFloor = 0, callerNumber = IN.number,
    callbackNumber = IN.number, reservedAt = 0, offeredAt = 0, answeredAt = 0, ringMs = 0, hops = 0, meta = IN.meta or '',
    nextOverflow = '', overflowAt = 0 }
  call_cache[c.id] = c
  redis.call('HSET', K.call(c.id), 'state', 'waiting', 'queue', c.queue, 'score', c.score, 'enqueuedAt', NOW,
    'queuedAt', NOW, 'kind', 'callback', 'priority', c.priority, 'owner', '', 'holder', '', 'agent', '', 'deadline', 0,
    'stages', cjson.encode(c.stages), 'stageBase', NOW, 'stageIdx', 1, 'stageFloor', 0, 'callerNumber', c.callerNumber,
    'callbackNumber', c.callbackNumber, 'hops', 0, 'meta', c.meta)
  -- a request back from being held back for its time was counted when it was made
  if IN.heldBack ~= '1' then
    record(q.id, { callbacks_requested = 1 })
  elseif (tonumber(redis.call('HGET', K.queue(q.id), 'callbacksHeld')) or 0) > 0 then
    redis.call('HINCRBY', K.queue(q.id), 'callbacksHeld', -1)
  end
  emit({ type = 'callback_requested', callId = c.id, queueId = q.id, reason = 'retry', from = 'waiting', to = 'waiting', callback = true })
  index_waiting(c)
  try_dispatch_call(c)
  OUT.position = position_of(c)
end

function ops.heartbeat()
  local known = redis.call('SISMEMBER', K.nodes(), NODE) == 1
  redis.call('SET', K.node(NODE), NOW, 'PX', IN.ttlMs)
  redis.call('SADD', K.nodes(), NODE)
  OUT.wasKnown = known
end

-- A graceful stop: the node gives back what it holds, exactly as if it had died. It makes no
-- new reservations (it is leaving): the freed agents are matched by the others' housekeeping.
function ops.leave()
  redis.call('DEL', K.node(NODE))
  reap_node(NODE, 'stopped', {})
end

local function reap_dead(freed)
  local n = 0
  for _, id in ipairs(redis.call('SMEMBERS', K.nodes())) do
    -- A process running this is alive: its lapsed key means it stalled, and its next heartbeat says so.
    if id ~= NODE and not node_alive(id) then
      reap_node(id, 'heartbeat_expired', freed)
      n = n + 1
    end
  end
  return n
end

function ops.reap()
  OUT.reaped = reap_dead({})
end

-- Whether a housekeeping run may declare others dead. The caller's guard sends false when its own
-- liveness is in doubt (just back from Redis trouble, or its heartbeat is stale), else the time its last
-- heartbeat wrote (reap-guard.ts). The run may have been held up since — on a primary that hung until a
-- failover moved the connection — so that heartbeat must still be the caller's last one here, and young:
-- with it younger than TTL - interval, every live process's heartbeat is younger than the TTL.
local function may_reap(witness)
  if type(witness) ~= 'number' then return false end
  local key = K.node(NODE)
  if tonumber(redis.call('GET', key)) ~= witness then return false end
  return redis.call('PTTL', key) > S.heartbeatIntervalMs
end

-- Periodic housekeeping, run by every live process (idempotent, bounded per run).
function ops.tick()
  local limit = S.tickLimit
  local freed = {}
  if may_reap(IN.reap) then OUT.reaped = reap_dead(freed) else OUT.reaped = 0 end
  local expired = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.reservations(), '-inf', NOW, 'LIMIT', 0, limit)) do
    local c = load_call(id)
    if c and (c.state == 'reserved' or c.state == 'offered') then
      local a
      local why
      if c.state == 'offered' then
        why = 'ring_no_answer'
        a = release(c, why, 'not_ready', 'missed_call', 'acd')
      elseif node_alive(c.holder) then
        -- the holder is alive but never rang the phone: keep the agent out of rotation until looked at
        why = 'reservation_expired'
        a = release(c, why, 'not_ready', 'unreachable', 'acd')
      else
        why = 'holder_died'
        a = release(c, why, 'ready', '', 'acd')
        if a then freed[#freed + 1] = a end
      end
      expired = expired + 1
      continue_after_release(c, why)
    else
      redis.call('ZREM', K.reservations(), id)
    end
  end
  OUT.expired = expired
  local wrapped = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.wrapUps(), '-inf', NOW, 'LIMIT', 0, limit)) do
    local a = load_agent(id)
    if a and a.state == 'wrap_up' and a.wrapUntil <= NOW then
      agent_transition(a, 'ready', 'wrap_up_timer', 'acd')
      dispatch_agent(a)
      wrapped = wrapped + 1
    elseif not a or a.state ~= 'wrap_up' then
      redis.call('ZREM', K.wrapUps(), id)
    end
  end
  OUT.wrapUpsEnded = wrapped
  local staged = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.stageDue(), '-inf', NOW, 'LIMIT', 0, limit)) do
    local c = load_call(id)
    redis.call('ZREM', K.stageDue(), id)
    if c and c.state == 'waiting' then
      unindex_waiting(c)
      index_waiting(c)
      emit({ type = 'call_stage', callId = c.id, queueId = c.queue, stage = c.stageIdx - 1 })
      try_dispatch_call(c)
      staged = staged + 1
    end
  end
  OUT.stagesAdvanced = staged
  local overflowed = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.overflowDue(), '-inf', NOW, 'LIMIT', 0, limit)) do
    local c = load_call(id)
    redis.call('ZREM', K.overflowDue(), id)
    if c and c.state == 'waiting' and c.kind == 'call' then
      local q = load_queue(c.queue)
      if c.nextOverflow ~= '' then
        overflow(c, cjson.decode(c.nextOverflow), 'target_timeout')
        overflowed = overflowed + 1
      elseif q and q.overflow and c.hops < S.maxOverflowHops then
        overflow(c, q.overflow, 'max_wait')
        overflowed = overflowed + 1
      end
    end
  end
  OUT.overflowed = overflowed
  for _, a in ipairs(freed) do dispatch_agent(a) end
  for _, qid in ipairs(redis.call('SMEMBERS', K.queues())) do dispatch_queue(qid) end
end

function ops.position()
  local c = need_call(IN.callId)
  OUT.state = c.state
  OUT.queueId = c.queue
  OUT.kind = c.kind
  OUT.waitedMs = NOW - c.enqueuedAt
  if c.state == 'waiting' then
    OUT.position = position_of(c)
    OUT.waiting = redis.call('ZCARD', K.waiting(c.queue))
    OUT.recent = redis.call('LRANGE', K.recentHandle(c.queue), 0, -1)
    OUT.states = redis.call('HGETALL', K.queueStates(c.queue))
  end
end

function ops.stats()
  local q = need_queue(IN.queueId)
  OUT.serviceLevelMs = q.serviceLevelMs
  OUT.waiting = redis.call('ZCARD', K.waiting(q.id))
  OUT.callbacks = tonumber(redis.call('HGET', K.queue(q.id), 'callbacks')) or 0
  OUT.callbacksHeld = tonumber(redis.call('HGET', K.queue(q.id), 'callbacksHeld')) or 0
  local oldest = redis.call('ZRANGE', K.since(q.id), 0, 0, 'WITHSCORES')
  if oldest[2] then OUT.longestWaitMs = math.max(0, NOW - tonumber(oldest[2])) else OUT.longestWaitMs = 0 end
  OUT.states = redis.call('HGETALL', K.queueStates(q.id))
  OUT.today = redis.call('HGETALL', K.statsDay(q.id, DAY))
  local buckets = {}
  for m = MINUTE - IN.windowMinutes + 1, MINUTE do
    buckets[#buckets + 1] = redis.call('HGETALL', K.statsMinute(q.id, m))
  end
  OUT.window = buckets
end

local op = ops[OP]
if not op then fail('VALIDATION_FAILED', 'unknown ACD operation ' .. tostring(OP)) end
op()
return cjson.encode(OUT)
`;
