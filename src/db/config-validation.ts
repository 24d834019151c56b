import type { Queryable } from './pool';
import { loadDirectorySnapshot } from './repositories/directory-snapshot-repository';
import { loadPromptCatalogue } from './repositories/prompts-repository';
import type { FlowDocument } from '../ivr/flow-document';
import { validateFlow } from '../ivr/flow-validator';
import type { RoutingConfig } from '../routing/routing-config-schema';
import { validateRoutingConfig } from '../routing/routing-config-validator';
import type { ValidationResult } from '../routing/validation-result';

/** The routing validator against the directory and prompt catalogue as they are now. */
export async function validateRoutingAgainstDirectory(q: Queryable, document: unknown): Promise<ValidationResult<RoutingConfig>> {
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
