import { createHash } from 'node:crypto';
import { AGENT_TRANSITIONS } from '../agent-state';
import { CALL_TRANSITIONS } from '../call-state';
import { luaKeyBuilders } from '../keys';
import { PRIORITY_BAND, PRIORITY_MAX } from '../queue-score';
import { AGENTS_LUA } from './agents-lua';
import { CALLS_LUA } from './calls-lua';
import { MATCHING_LUA } from './matching-lua';
import { OPERATIONS_LUA } from './operations-lua';
import { PRELUDE_LUA } from './prelude-lua';

/** The operations the ACD script implements (ARGV[7]). */
export type AcdOperation =
  | 'define_queue'
  | 'upsert_agent'
  | 'set_agent_state'
  | 'extend_wrap_up'
  | 'enqueue'
  | 'mark_offered'
  | 'answer'
  | 'ring_no_answer'
  | 'abandon'
  | 'hang_up'
  | 'request_callback'
  | 'enqueue_callback'
  | 'heartbeat'
  | 'leave'
  | 'reap'
  | 'tick'
  | 'position'
  | 'stats';

/** A transition table as a Lua literal: `{ from = { to = true, ... }, ... }`. */
function luaTable(name: string, table: Readonly<Record<string, readonly string[]>>): string {
  const rows = Object.entries(table).map(([from, tos]) => `  ${from} = { ${tos.map((to) => `${to} = true`).join(', ')} },`);
  return `local ${name} = {\n${rows.join('\n')}\n}`;
}

/** A Lua script with its SHA1, as Redis computes it for EVALSHA. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

function buildSource(): string {
  return [
    '-- Switchboard ACD: generated from src/acd/lua/*.ts; do not edit in Redis.',
    'local P = ARGV[1]',
    luaKeyBuilders(),
    luaTable('AGENT_T', AGENT_TRANSITIONS),
    luaTable('CALL_T', CALL_TRANSITIONS),
    `local PRIORITY_MAX = ${PRIORITY_MAX}`,
    `local PRIORITY_BAND = ${PRIORITY_BAND}`,
    PRELUDE_LUA,
    AGENTS_LUA,
    CALLS_LUA,
    MATCHING_LUA,
    OPERATIONS_LUA,
  ].join('\n');
}

const source = buildSource();

/** The whole ACD as one script: loaded once per Redis, then every operation is one EVALSHA. */
export const ACD_SCRIPT: LuaScript = {
  name: 'acd',
  source,
  sha1: createHash('sha1').update(source).digest('hex'),
};
