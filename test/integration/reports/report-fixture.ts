import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Db } from '../../../src/db/pool';
import { CallRecorder } from '../../../src/calls/call-recorder';
import { writeCallRecord } from '../../../src/db/repositories/call-records-repository';
import type { RouteDecision } from '../../../src/routing/route-decision';

/**
 * A hand-made morning on 2025-03-03, 09:00–11:00 UTC (12:00–14:00 in Moscow):
 * 21 calls in two queues (operators, regional) and the ACD state moves of
 * two agents (A and B). The expected figures in report.test.ts are worked out
 * by hand from the tables below; the comments carry the arithmetic.
 */
export const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

/** "HH:MM:SS" on the fixture's day (UTC) as epoch ms. */
export function at(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return Date.UTC(2025, 2, 3, h, m, s);
}

export interface FixtureIds {
  agentA: number;
  agentB: number;
  /** Call ids by fixture name (c1 … c22). */
  calls: Record<string, string>;
}

interface PlainCall {
  name: string;
  start: string;
  queue: string | null;
  direction?: 'inbound' | 'outbound' | 'internal';
  dialed?: string;
  outcome: string;
  waitS?: number;
  talkS?: number;
  holdS?: number;
  agents?: Array<'A' | 'B'>;
  caller?: string;
  e164?: string | null;
}

/** Calls whose events do not matter to the reports: written as rows only. Waits, talk and hold in seconds. */
const PLAIN_CALLS: PlainCall[] = [
  { name: 'c1', start: '09:01:00', queue: 'operators', outcome: 'answered', waitS: 5, talkS: 60, agents: ['A'] },
  { name: 'c2', start: '09:10:00', queue: 'operators', outcome: 'answered', waitS: 15, talkS: 120, holdS: 10, agents: ['A'] },
  { name: 'c3', start: '09:19:40', queue: 'operators', outcome: 'answered', waitS: 30, talkS: 90, agents: ['B'] },
  { name: 'c4', start: '09:25:00', queue: 'operators', outcome: 'abandoned_queue', waitS: 3 },
  { name: 'c5', start: '09:26:00', queue: 'operators', outcome: 'abandoned_queue', waitS: 40 },
  { name: 'c6', start: '09:27:00', queue: 'operators', outcome: 'abandoned_ringing', waitS: 25 },
  { name: 'c7', start: '09:28:00', queue: 'operators', outcome: 'callback_requested', waitS: 50 },
  { name: 'c9', start: '09:40:00', queue: 'operators', outcome: 'answered', waitS: 20, talkS: 30, agents: ['B'] },
  { name: 'c10', start: '09:45:00', queue: 'regional', outcome: 'answered', waitS: 10, talkS: 100, agents: ['B'] },
  { name: 'c11', start: '09:50:00', queue: 'regional', outcome: 'abandoned_queue', waitS: 8 },
  { name: 'c12', start: '10:20:00', queue: 'operators', outcome: 'answered', waitS: 25, talkS: 200, holdS: 20, agents: ['A'] },
  { name: 'c14', start: '10:15:00', queue: 'operators', outcome: 'answered', waitS: 2, talkS: 45, agents: ['B'] },
  { name: 'c15', start: '10:30:00', queue: 'operators', outcome: 'abandoned_queue', waitS: 4.5 },
  // Not in the queue report: no queue; outbound (even with a queue name); outside the period.
  { name: 'c17', start: '10:45:00', queue: null, outcome: 'after_hours' },
  { name: 'c18', start: '10:30:00', queue: null, direction: 'outbound', outcome: 'answered', talkS: 40, agents: ['A'] },
  { name: 'c19', start: '10:50:00', queue: 'operators', direction: 'outbound', outcome: 'failed', waitS: 1 },
  { name: 'c20', start: '08:59:59', queue: 'operators', outcome: 'abandoned_queue', waitS: 99 },
  { name: 'c21', start: '11:00:00', queue: 'operators', outcome: 'abandoned_queue', waitS: 99 },
  // An admin trying a draft IVR flow from their phone (src/sip/draft-test-address.ts): in the call log, not in the queue report.
  { name: 'c22', start: '09:35:00', queue: 'operators', direction: 'internal', dialed: 'ivr-draft-main-v3', caller: 'admin', e164: null, outcome: 'abandoned_queue', waitS: 50 },
];

type Move = [time: string, from: string, to: string, call?: string];

/** The ACD's agent_state moves (the call is a fixture name; `.t1` marks the entry after a transfer). */
const MOVES: Record<'A' | 'B', Move[]> = {
  A: [
    ['08:30:00', 'logged_out', 'ready'],
    ['09:01:00', 'ready', 'reserved', 'c1'], ['09:01:05', 'reserved', 'on_call', 'c1'], ['09:02:05', 'on_call', 'wrap_up', 'c1'], ['09:02:35', 'wrap_up', 'ready'],
    ['09:10:00', 'ready', 'reserved', 'c2'], ['09:10:15', 'reserved', 'on_call', 'c2'], ['09:12:25', 'on_call', 'wrap_up', 'c2'],
    ['09:12:55', 'wrap_up', 'wrap_up'], ['09:13:25', 'wrap_up', 'ready'],
    ['09:30:00', 'ready', 'not_ready'], ['09:50:00', 'not_ready', 'ready'],
    ['09:55:00', 'ready', 'reserved', 'cX'], ['09:55:20', 'reserved', 'not_ready'], ['10:05:00', 'not_ready', 'ready'],
    ['10:05:10', 'ready', 'reserved', 'c13'], ['10:05:12', 'reserved', 'on_call', 'c13'], ['10:06:52', 'on_call', 'wrap_up', 'c13'], ['10:07:22', 'wrap_up', 'ready'],
    ['10:20:00', 'ready', 'reserved', 'c12'], ['10:20:25', 'reserved', 'on_call', 'c12'], ['10:24:05', 'on_call', 'wrap_up', 'c12'], ['10:24:35', 'wrap_up', 'ready'],
    ['10:29:50', 'ready', 'not_ready'], ['10:31:00', 'not_ready', 'ready'],
    ['10:41:08', 'ready', 'reserved', 'c16'], ['10:41:10', 'reserved', 'on_call', 'c16'], ['10:41:40', 'on_call', 'wrap_up', 'c16'], ['10:42:00', 'wrap_up', 'ready'],
  ],
  B: [
    ['08:00:00', 'logged_out', 'ready'],
    ['09:20:00', 'ready', 'reserved', 'c3'], ['09:20:10', 'reserved', 'on_call', 'c3'], ['09:21:40', 'on_call', 'wrap_up', 'c3'], ['09:22:10', 'wrap_up', 'ready'],
    ['09:40:15', 'ready', 'reserved', 'c9'], ['09:40:20', 'reserved', 'on_call', 'c9'], ['09:40:50', 'on_call', 'wrap_up', 'c9'], ['09:41:00', 'wrap_up', 'ready'],
    ['09:45:05', 'ready', 'reserved', 'c10'], ['09:45:10', 'reserved', 'on_call', 'c10'], ['09:46:50', 'on_call', 'wrap_up', 'c10'], ['09:47:20', 'wrap_up', 'ready'],
    ['09:58:00', 'ready', 'not_ready'], ['10:03:00', 'not_ready', 'ready'],
    ['10:07:00', 'ready', 'reserved', 'c13.t1'], ['10:07:02', 'reserved', 'on_call', 'c13.t1'], ['10:08:02', 'on_call', 'wrap_up', 'c13.t1'], ['10:08:32', 'wrap_up', 'ready'],
    ['10:15:00', 'ready', 'reserved', 'c14'], ['10:15:02', 'reserved', 'on_call', 'c14'], ['10:15:47', 'on_call', 'wrap_up', 'c14'], ['10:16:17', 'wrap_up', 'ready'],
    ['10:50:00', 'ready', 'logged_out'],
  ],
};

const queueDecision = (queue: string): RouteDecision => ({
  target: { kind: 'queue', queue, requiredSkills: {}, priority: 1 }, announcement: null, reason: 'fixture', ruleId: 'fixture',
});

/** Drives the real CallRecorder on a fixture clock, for the calls whose timeline the reports read. */
function recorded(start: string, script: (r: CallRecorder, go: (hms: string) => void) => void): ReturnType<CallRecorder['end']> {
  let now = at(start);
  const r = new CallRecorder({ id: randomUUID(), logger: pino({ level: 'silent' }), clock: { now: () => now }, callerNumber: '+74951000001', callerE164: '+74951000001' });
  r.answer();
  script(r, (hms) => {
    now = at(hms);
  });
  return r.record as ReturnType<CallRecorder['end']>;
}

/** Writes the fixture into a migrated database; A is Anna Petrova and B Ion Popescu (the demo's, or made here). */
export async function loadReportFixture(db: Db): Promise<FixtureIds> {
  const idOf = async (name: string): Promise<number> => {
    const found = await db.query<{ id: number }>('SELECT id FROM staff WHERE full_name = $1', [name]);
    if (found.rows[0]) return found.rows[0].id;
    const made = await db.query<{ id: number }>("INSERT INTO staff (full_name, role) VALUES ($1, 'operator') RETURNING id", [name]);
    return made.rows[0]!.id;
  };
  const agent = { A: await idOf('Anna Petrova'), B: await idOf('Ion Popescu') };
  const calls: Record<string, string> = {};

  for (const c of PLAIN_CALLS) {
    const id = randomUUID();
    calls[c.name] = id;
    const started = at(c.start);
    const answered = c.agents !== undefined && c.agents.length > 0;
    await db.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, queued_at, agent_answered_at, ended_at, queue_name,
                          queue_wait_ms, agent_id, agent_ids, talk_ms, hold_ms, outcome, hangup_side, dialed_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'caller', $16)`,
      [
        id, c.direction ?? 'inbound', c.caller ?? '+74951000001', c.e164 === undefined ? '+74951000001' : c.e164, new Date(started),
        c.queue === null ? null : new Date(started), answered ? new Date(started + (c.waitS ?? 0) * 1000) : null,
        new Date(started + ((c.waitS ?? 0) + (c.talkS ?? 0) + (c.holdS ?? 0)) * 1000), c.queue,
        c.waitS === undefined ? null : Math.round(c.waitS * 1000), answered ? agent[c.agents![0]!] : null,
        (c.agents ?? []).map((a) => agent[a]), c.talkS === undefined ? null : c.talkS * 1000, (c.holdS ?? 0) * 1000, c.outcome,
        c.dialed ?? (c.direction === 'outbound' ? null : 'hotline'),
      ],
    );
  }

  // c8: overflowed out of operators to voicemail after 60 s.
  const c8 = recorded('09:29:00', (r, go) => {
    r.route(queueDecision('operators'), 1);
    r.enqueue({ name: 'operators' });
    go('09:30:00');
    r.overflow('max wait', 'voicemail');
    r.end({ side: 'system', cause: 'voicemail' });
  });
  // c13: answered by A after 12 s; 60 s talk, 10 s hold, 30 s talk, blind transfer (5 s) to regional; B answers, 60 s talk.
  const c13 = recorded('10:05:00', (r, go) => {
    r.route(queueDecision('operators'), 1);
    r.enqueue({ name: 'operators' });
    go('10:05:10');
    r.offer({ agentId: agent.A });
    go('10:05:12');
    r.agentAnswered({ agentId: agent.A });
    go('10:06:12');
    r.hold();
    go('10:06:22');
    r.resume();
    go('10:06:52');
    r.startTransfer({ kind: 'blind', target: { kind: 'queue', queue: 'regional' }, byAgentId: agent.A });
    go('10:06:57');
    r.enqueue({ name: 'regional' });
    go('10:07:00');
    r.offer({ agentId: agent.B });
    go('10:07:02');
    r.agentAnswered({ agentId: agent.B });
    go('10:08:02');
    r.end({ side: 'caller', cause: 'BYE' });
  });
  // c16: waited 60 s in operators, overflowed into regional, answered by A 10 s later; 30 s talk.
  const c16 = recorded('10:40:00', (r, go) => {
    r.route(queueDecision('operators'), 1);
    r.enqueue({ name: 'operators' });
    go('10:41:00');
    r.overflow('max wait', 'regional');
    r.enqueue({ name: 'regional' });
    go('10:41:08');
    r.offer({ agentId: agent.A });
    go('10:41:10');
    r.agentAnswered({ agentId: agent.A });
    go('10:41:40');
    r.end({ side: 'caller', cause: 'BYE' });
  });
  for (const [name, record] of [['c8', c8], ['c13', c13], ['c16', c16]] as const) {
    calls[name] = record.id;
    await writeCallRecord(db, record);
  }

  calls.cX = randomUUID();
  const acdIdOf = (call: string): string => {
    const [base, suffix] = call.split('.') as [string, string | undefined];
    const id = calls[base];
    if (!id) throw new Error(`no fixture call ${base}`);
    return suffix ? `${id}.${suffix}` : id;
  };
  const rows: Array<{ stream: string; at: number; type: string; callId: string | null; agentId: number; queue: string | null; data: Record<string, unknown> }> = [];
  for (const who of ['A', 'B'] as const) {
    for (const [time, from, to, call] of MOVES[who]) {
      const data: Record<string, unknown> = { type: 'agent_state', agentId: String(agent[who]), from, to, by: 'acd', ts: at(time), node: 'fixture' };
      if (call) data.callId = acdIdOf(call);
      rows.push({ stream: '', at: at(time), type: 'agent_state', callId: call ? acdIdOf(call) : null, agentId: agent[who], queue: null, data });
    }
  }
  // A's phone rang 20 s unanswered at 09:55.
  rows.push({
    stream: '', at: at('09:55:20'), type: 'call_released', callId: calls.cX, agentId: agent.A, queue: 'operators',
    data: { type: 'call_released', reason: 'ring_no_answer', agentId: String(agent.A), callId: calls.cX, queueId: 'operators', ts: at('09:55:20'), node: 'fixture' },
  });
  rows.sort((x, y) => x.at - y.at);
  rows.forEach((r, i) => (r.stream = `${r.at}-${i}`));
  await db.query(
    `INSERT INTO acd_events (stream_id, at, type, call_id, agent_id, queue, data)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::text[], $7::jsonb[])`,
    [rows.map((r) => r.stream), rows.map((r) => new Date(r.at).toISOString()), rows.map((r) => r.type), rows.map((r) => r.callId),
      rows.map((r) => r.agentId), rows.map((r) => r.queue), rows.map((r) => JSON.stringify(r.data))],
  );
  return { agentA: agent.A, agentB: agent.B, calls };
}
