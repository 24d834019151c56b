import type { Acd } from '../acd';
import { DIRECT_QUEUE_ID } from '../directory/acd-profiles';
import type { LiveCallFacts, LiveCallLookup } from './monitoring-ports';

/** What this process knows of its own calls (the hotline's handler): calls to a person never pass through an ACD queue. */
export interface ProcessCalls {
  live(callId: string): { connectedStaffId: number | null } | null;
}

/**
 * Live calls for monitoring: the ACD (Redis, every process's queue calls) first, then this process's own
 * calls for calls put straight through to a person. A call in the ACD's implicit queue for named people
 * counts as a call to a person (queue null).
 */
export function acdLiveCallLookup(acd: Acd | undefined, processCalls: ProcessCalls | undefined): LiveCallLookup {
  return {
    async find(callId: string): Promise<LiveCallFacts | null> {
      const queued = acd ? await acd.getCall(callId) : null;
      if (queued) {
        const agentStaffId = queued.agentId !== null && /^[0-9]+$/.test(queued.agentId) ? Number(queued.agentId) : null;
        return {
          callId, live: queued.state === 'connected' && agentStaffId !== null, agentStaffId,
          queue: queued.queueId === DIRECT_QUEUE_ID || queued.queueId === '' ? null : queued.queueId, callerNumber: queued.callerNumber,
        };
      }
      const own = processCalls?.live(callId) ?? null;
      if (!own) return null;
      return { callId, live: own.connectedStaffId !== null, agentStaffId: own.connectedStaffId, queue: null, callerNumber: null };
    },
  };
}
