import { randomUUID } from 'node:crypto';
import type { DbClient } from './pool';
import type { ResourceRepository } from './resource-repository';
import type { ClientRecord } from '../directory/directory-records';

const DAY_MS = 86_400_000;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Demo market clients whose order history shows both ways the system knows
 * of an order (campaigns-repository.ts): the date imported from accounting,
 * and a call whose wrap-up took an order. Dates are relative to the day of
 * seeding, so the dormant-client list (no order for 6 months) has entries
 * whenever the demo is loaded — and one client that looks dormant by its
 * imported date is not, because of a recent phone order.
 */
export async function seedDemoOrders(
  client: DbClient,
  clientsRepo: ResourceRepository<ClientRecord>,
  refs: { operatorId: number; queueId: number | undefined },
  now = Date.now(),
): Promise<void> {
  const orders: Array<{ name: string; phone: string; lastOrderDaysAgo: number | null; phoneOrderDaysAgo: number | null; amount?: number }> = [
    // Ordered by phone two weeks ago although accounting last saw an order ten months ago: not dormant.
    { name: 'Danilovsky market, pavilion 7', phone: '+7 (495) 100-00-21', lastOrderDaysAgo: 300, phoneOrderDaysAgo: 14, amount: 48_500 },
    // Last order taken by phone eight months ago: dormant.
    { name: 'Dorogomilovsky market, row 3', phone: '+7 (495) 100-00-22', lastOrderDaysAgo: null, phoneOrderDaysAgo: 240, amount: 12_300 },
    // Last order seven months ago per accounting: dormant.
    { name: 'Levoberezhny market, stall 5', phone: '+7 (495) 100-00-23', lastOrderDaysAgo: 210, phoneOrderDaysAgo: null },
  ];
  for (const order of orders) {
    const created = await clientsRepo.create(client, {
      name: order.name, type: 'market', managerId: refs.operatorId, region: 'Moscow', phones: [order.phone],
      lastOrderAt: order.lastOrderDaysAgo === null ? null : isoDay(now - order.lastOrderDaysAgo * DAY_MS),
    });
    // Clients added today would never count as dormant without an order: date them a year back.
    await client.query("UPDATE clients SET created_at = now() - interval '1 year' WHERE id = $1", [created.id]);
    if (order.phoneOrderDaysAgo === null) continue;
    const callId = randomUUID();
    const started = new Date(now - order.phoneOrderDaysAgo * DAY_MS);
    const e164 = created.phones[0]?.number ?? null;
    await client.query(
      `INSERT INTO calls (id, direction, caller_number, caller_e164, client_id, client_type, started_at, answered_at, queued_at, agent_answered_at, ended_at,
                          queue_id, queue_name, queue_wait_ms, agent_id, agent_ids, talk_ms, hangup_side, outcome)
       VALUES ($1, 'inbound', $2, $2, $3, 'market', $4::timestamptz, $4::timestamptz, $4::timestamptz, $4::timestamptz + interval '12 seconds', $4::timestamptz + interval '3 minutes', $5, 'operators', 12000, $6::int, ARRAY[$6::int], 168000, 'caller', 'answered')`,
      [callId, e164, created.id, started, refs.queueId ?? null, refs.operatorId],
    );
    await client.query(
      `INSERT INTO wrap_ups (call_id, staff_id, disposition_code, notes, order_reference, order_amount, created_at)
       VALUES ($1, $2, 'order_taken', 'Demo order', $3, $4, $5)`,
      [callId, refs.operatorId, `DEMO-${isoDay(started.getTime()).replace(/-/g, '')}-${created.id}`, order.amount ?? null, new Date(started.getTime() + 200_000)],
    );
    await client.query("UPDATE calls SET disposition_code = 'order_taken' WHERE id = $1", [callId]);
  }
}
