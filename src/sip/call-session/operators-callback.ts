import type { InboundContext } from './inbound-context';

/**
 * The queue whose operators work callback requests nobody else would see:
 * the seed's operators' queue (orders and enquiries). A site without it logs
 * a warning and the request stays on the call's record only.
 */
export const OPERATORS_CALLBACK_QUEUE = 'operators';

/**
 * A callback request made outside a queue (after hours, or the IVR's callback
 * offer), put where someone works it (issue 17). A client with a manager has
 * it on the manager's list already (the softphone's Work tab lists callback
 * requests of their clients); an unknown caller, or a client nobody manages,
 * had it seen by nobody: theirs goes to the operators' callback queue in the
 * ACD, where the next operator free is rung for it and the number dialled
 * (callback-dialer.ts), the first attempt of the retry policy.
 */
export async function queueCallbackForOperators(ctx: InboundContext, reason: string): Promise<void> {
  if (ctx.client?.managerId != null) return;
  const number = ctx.callerE164;
  if (!number) {
    ctx.log.warn({ reason }, 'a callback was requested by a caller without a number to call: it stays on the record only');
    return;
  }
  const directory = await ctx.services.directory();
  if (!directory.queues.includes(OPERATORS_CALLBACK_QUEUE)) {
    ctx.log.warn({ queue: OPERATORS_CALLBACK_QUEUE, reason }, 'no operators’ callback queue: the callback request stays on the record only');
    return;
  }
  const { position } = await ctx.services.acd.enqueueCallback({
    // The call's own id: it never waited in the ACD (after hours, or the IVR ended it); retries add .cb2 (callback-dialer.ts).
    callId: ctx.id, queueId: OPERATORS_CALLBACK_QUEUE, number,
    meta: { clientId: ctx.client?.id ?? null, reason, callbackAttempt: 1 },
  });
  ctx.log.info({ queue: OPERATORS_CALLBACK_QUEUE, position, reason }, 'callback request queued for the operators');
}

/**
 * The caller asked to be called back outside a queue: on the call's record,
 * and (unknown caller, or a client nobody manages) in the operators' callback
 * queue. A failure to queue it is logged; the record keeps the request.
 */
export async function requestCallbackOutsideQueue(ctx: InboundContext, reason: string): Promise<void> {
  ctx.requestCallback();
  try {
    await queueCallbackForOperators(ctx, reason);
  } catch (err) {
    ctx.log.warn({ err, reason }, 'the callback request could not be queued for the operators: it stays on the record only');
  }
}
