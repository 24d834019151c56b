import type { AppConfig } from '../config/config-schema';

/** The site's monitoring policy (issue 18 point 3), config key `callMonitoring`. */
export interface MonitoringPolicy {
  /** A supervisor assigned to no queue may monitor every queue's calls: how supervisors worked before queue assignments existed. */
  unassignedSupervisorsSeeAllQueues: boolean;
  /** 'tone': both parties hear a short tone when monitoring starts; 'none': neither party is told. */
  announce: 'none' | 'tone';
  /** The quality role listens; this lets it whisper to the agent too (never barge). */
  qualityMayWhisper: boolean;
}

export const DEFAULT_MONITORING_POLICY: Readonly<MonitoringPolicy> = Object.freeze({
  unassignedSupervisorsSeeAllQueues: true,
  announce: 'none',
  qualityMayWhisper: false,
});

/** The policy with the defaults filled in for whatever the configuration leaves out. */
export function monitoringPolicyOf(configured: AppConfig['callMonitoring']): MonitoringPolicy {
  return {
    unassignedSupervisorsSeeAllQueues: configured?.unassignedSupervisorsSeeAllQueues ?? DEFAULT_MONITORING_POLICY.unassignedSupervisorsSeeAllQueues,
    announce: configured?.announce ?? DEFAULT_MONITORING_POLICY.announce,
    qualityMayWhisper: configured?.qualityMayWhisper ?? DEFAULT_MONITORING_POLICY.qualityMayWhisper,
  };
}
