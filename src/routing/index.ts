/**
 * Routing: the pure decision of where a call goes (design §2 — no I/O).
 * Callers build the inputs (client lookup, directory, availability) and
 * store the decision; everything here is plain data in, plain data out.
 */
export * from './availability-snapshot';
export * from './business-hours';
export * from './business-hours-schedule';
export * from './call-facts';
export * from './caller-choice';
export * from './client-facts';
export * from './decide-route';
export * from './default-routing-config';
export * from './directory-snapshot';
export * from './route-decision';
export * from './route-target';
export * from './routing-config-schema';
export * from './routing-config-validator';
export * from './target-spec';
export * from './target-spec-validator';
export * from './validation-result';
