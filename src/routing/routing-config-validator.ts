import { validateSchedule } from './business-hours';
import { childPath } from './json-path';
import { DirectoryIndex, type DirectorySnapshot } from './directory-snapshot';
import { isCatchAll } from './rule-condition';
import { unknownPlaceholders } from './route-reason';
import { RoutingConfigSchema, type RoutingConfig } from './routing-config-schema';
import { SchemaCheck } from './schema-check';
import { checkTargetSpec, type TargetCheckOptions } from './target-spec-validator';
import type { TargetSpec } from './target-spec';
import { TargetSpecSchema } from './target-spec';
import type { ValidationIssue, ValidationResult } from './validation-result';

const configCheck = new SchemaCheck(RoutingConfigSchema);
const targetCheck = new SchemaCheck(TargetSpecSchema);

export type RoutingValidationOptions = TargetCheckOptions;

/**
 * Validates a routing config document (a draft from the admin API, or a
 * stored version) against the schema and the directory. Refuses unknown
 * queues, people, departments, client types and prompts, looping fallback
 * chains, duplicate rule ids and rules that can never match. Each issue names
 * the exact path: `rules[3].target.fallback[1].queue: unknown queue 'vip'`.
 */
export function validateRoutingConfig(
  document: unknown,
  directory: DirectorySnapshot,
  options: RoutingValidationOptions = {},
): ValidationResult<RoutingConfig> {
  if (!configCheck.check(document)) return { ok: false, errors: configCheck.issues(document) };
  const config = document;
  const index = new DirectoryIndex(directory);
  const issues: ValidationIssue[] = [];
  const knownTypes = directory.clientTypes ? new Set(directory.clientTypes) : null;

  issues.push(...validateSchedule(config.businessHours, 'businessHours'));
  if (knownTypes) {
    for (const type of Object.keys(config.priorityByClientType)) {
      if (!knownTypes.has(type)) issues.push({ path: `priorityByClientType.${type}`, message: `unknown client type '${type}'` });
    }
  }

  const ids = new Map<string, number>();
  let catchAll: { index: number; id: string } | null = null;
  config.rules.forEach((rule, i) => {
    const at = childPath('rules', i);
    if (catchAll) {
      issues.push({ path: at, message: `never used: rules[${catchAll.index}] ('${catchAll.id}') matches every call before it` });
    }
    const earlier = ids.get(rule.id);
    if (earlier !== undefined) issues.push({ path: childPath(at, 'id'), message: `duplicate rule id '${rule.id}' (also rules[${earlier}])` });
    else ids.set(rule.id, i);
    if (knownTypes) {
      (rule.when.clientTypes ?? []).forEach((type, j) => {
        if (!knownTypes.has(type)) {
          issues.push({ path: childPath(childPath(childPath(at, 'when'), 'clientTypes'), j), message: `unknown client type '${type}'` });
        }
      });
    }
    for (const name of unknownPlaceholders(rule.reason)) {
      issues.push({ path: childPath(at, 'reason'), message: `unknown placeholder {${name}}` });
    }
    if (rule.announcement && options.promptIds && !options.promptIds.includes(rule.announcement)) {
      issues.push({ path: childPath(at, 'announcement'), message: `unknown prompt '${rule.announcement}'` });
    }
    issues.push(...checkTargetSpec(rule.target, index, childPath(at, 'target'), 'rule', options));
    if (!catchAll && rule.enabled !== false && isCatchAll(rule.when)) catchAll = { index: i, id: rule.id };
  });

  issues.push(...checkTargetSpec(config.lastResort, index, 'lastResort', 'last_resort', options));
  return issues.length > 0 ? { ok: false, errors: issues } : { ok: true, value: config };
}

/**
 * Validates a per-client override target (clients' override column, edited
 * on the client card) with the same rules as a config target.
 */
export function validateOverrideTarget(
  document: unknown,
  directory: DirectorySnapshot,
  path = 'overrideTarget',
  options: TargetCheckOptions = {},
): ValidationResult<TargetSpec> {
  if (!targetCheck.check(document)) {
    return { ok: false, errors: targetCheck.issues(document).map((i) => ({ ...i, path: i.path === '' ? path : `${path}.${i.path}` })) };
  }
  const issues = checkTargetSpec(document, directory, path, 'client_override', options);
  return issues.length > 0 ? { ok: false, errors: issues } : { ok: true, value: document };
}
