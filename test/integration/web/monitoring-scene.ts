import { randomUUID } from 'node:crypto';
import type { Acd } from '../../../src/acd';
import type { ApiHarness } from '../../helpers/api-harness';

/** What the monitoring browser tests start from: the demo's people by name, and the live call to monitor. */
export interface MonitoringScene {
  /** Staff ids by full name. */
  staff: Map<string, number>;
  /** Anna Petrova's call with a market caller (+74951000001) from the operators' queue. */
  callId: string;
}

/**
 * Sets up the call monitoring browser tests (issue 18) on a demo harness with
 * the ACD: h_supervisor and h_quality linked to people (their phones get the
 * monitoring call), and Anna on a live call to monitor.
 */
export async function monitoringScene(h: ApiHarness): Promise<MonitoringScene> {
  const acd = h.acd as Acd;
  const staff = new Map<string, number>();
  for (const row of (await h.db.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff')).rows) staff.set(row.full_name, row.id);
  const users = new Map((await h.call<Array<{ id: number; username: string }>>('GET', '/api/users', { token: h.tokens.admin })).body.map((u) => [u.username, u.id]));
  for (const [username, person] of [['h_supervisor', 'Dmitri Lebedev'], ['h_quality', 'Svetlana Belova']] as const) {
    const linked = await h.call('PATCH', `/api/users/${users.get(username)}`, { token: h.tokens.admin, body: { staffId: staff.get(person) } });
    if (linked.status !== 200) throw new Error(`linking ${username} to ${person} answered ${linked.status}`);
  }
  const anna = String(staff.get('Anna Petrova'));
  const callId = randomUUID();
  await acd.transition(anna, 'ready');
  await acd.enqueue({ callId, queueId: 'operators', callerNumber: '+74951000001' });
  await acd.markOffered(callId, anna);
  await acd.answer(callId, anna);
  return { staff, callId };
}
