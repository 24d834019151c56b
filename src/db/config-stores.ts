import type { FlowDocument } from '../ivr/flow-document';
import type { RoutingConfig } from '../routing/routing-config-schema';
import { VersionedConfigStore } from './versioned-config-store';

/** The single routing config, versioned. */
export const routingConfigStore = new VersionedConfigStore<RoutingConfig>({ entity: 'routing config', table: 'routing_config_versions', scopeColumn: null });

/** IVR flows, versioned per flow name (the hotline's flow is `main`). */
export const ivrFlowStore = new VersionedConfigStore<FlowDocument>({ entity: 'IVR flow', table: 'ivr_flow_versions', scopeColumn: 'flow_name' });
