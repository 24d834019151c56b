import type { Queryable } from './pool';
import { lockDirectoryReferences } from './repositories/directory-references-repository';
import { loadDirectorySnapshot } from './repositories/directory-snapshot-repository';
import { loadPromptCatalogue } from './repositories/prompts-repository';
import type { FlowDocument } from '../ivr/flow-document';
import { validateFlow } from '../ivr/flow-validator';
import type { RoutingConfig } from '../routing/routing-config-schema';
import { validateRoutingConfig } from '../routing/routing-config-validator';
import type { ValidationResult } from '../routing/validation-result';

/**
 * The routing validator against the directory and prompt catalogue as they
 * are now. In a transaction (save, publish, rollback) the directory stays so
 * until it commits: a delete or deactivation checking what the published
 * config names waits for it, and it for them (issue 15).
 */
export async function validateRoutingAgainstDirectory(q: Queryable, document: unknown): Promise<ValidationResult<RoutingConfig>> {
  await lockDirectoryReferences(q, 'shared');
  const [directory, catalogue] = await Promise.all([loadDirectorySnapshot(q), loadPromptCatalogue(q)]);
  return validateRoutingConfig(document, directory, { promptIds: [...new Set(catalogue.map((p) => p.id))] });
}

/** The flow validator against the prompt catalogue; the document's name must be the flow it is saved under. */
export async function validateFlowForScope(q: Queryable, flowName: string, document: unknown): Promise<ValidationResult<FlowDocument>> {
  const result = validateFlow(document, await loadPromptCatalogue(q));
  if (!result.ok) return result;
  if (result.value.name !== flowName) {
    return { ok: false, errors: [{ path: 'name', message: `the document is flow '${result.value.name}', saved under '${flowName}'` }] };
  }
  return result;
}
