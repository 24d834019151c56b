/**
 * IVR: flow model, validator and executor (design §2 — no I/O). The session
 * feeds an IvrRun events and carries out its commands.
 */
export * from './clock';
export * from './default-flow';
export * from './default-prompts';
export * from './flow-document';
export * from './flow-graph';
export * from './flow-validator';
export * from './ivr-command';
export * from './ivr-event';
export * from './ivr-run';
export * from './ivr-run-context';
export * from './ivr-state';
export * from './prompt-catalogue';
export * from './prompt-variants';
