import type { Acd, AcdEvent } from '../acd';
import type { AvailabilityView } from '../acd/availability-view';
import type { CallCheckpointStore } from '../calls/call-checkpoint-store';
import type { CallRecordWriter } from '../calls/call-record-writer';
import type { VoicemailSettings } from '../calls/voicemail';
import type { PublishedConfigCache } from '../db/published-config-cache';
import type { CallerLookup } from '../directory/caller-lookup';
import type { QueueWaitOptions } from '../directory/queue-wait-options';
import type { FlowDocument } from '../ivr/flow-document';
import type { PromptCatalogue } from '../ivr/prompt-catalogue';
import type { Logger } from '../logger';
import type { DtmfListener } from '../media/dtmf-listener';
import type { MediaEngines } from '../media/media-engine';
import type { MediaLostListener } from '../media/rtpengine-call-sweeper';
import type { DirectorySnapshot } from '../routing/directory-snapshot';
import type { RoutingConfig } from '../routing/routing-config-schema';
import type { OverloadGuard } from './overload/overload-guard';
import type { ContactBinding } from './registration-store';
import type { SrfApp } from './srf-types';
import type { TrunkAcl } from './trunk-acl';

/** The prompt catalogue as a call sees it: entries plus where each file is. */
export interface PromptSource {
  catalogue: PromptCatalogue;
  fileOf(promptId: string, language: string): string;
}

/**
 * Everything a call session uses, built once per process by the system start
 * (or a test) and shared by every call. Each service releases its own
 * resources; a session releases what it takes from them.
 */
export interface CallServices {
  srf: SrfApp;
  acd: Acd;
  /**
   * The rtpengines calls go on (issue 14): each call picks one when its media
   * starts and keeps it (its ng client, sweeper and recording folder) to the end.
   */
  media: MediaEngines;
  dtmf: DtmfListener;
  lookup: CallerLookup;
  flows: PublishedConfigCache<FlowDocument>;
  routing: PublishedConfigCache<RoutingConfig>;
  directory: () => Promise<DirectorySnapshot>;
  prompts: () => Promise<PromptSource>;
  availability: AvailabilityView;
  contactsOf: (staffId: number) => Promise<readonly ContactBinding[]>;
  writer: CallRecordWriter;
  trunks: TrunkAcl;
  /** Where finished WAV recordings go (<root>/YYYY/MM/DD/<call>.wav). */
  recordingsRoot: string;
  recordingRetentionDays: number;
  musicOnHoldFile: string;
  /** Limits no call outlives (config `calls`): longest wait in queues, longest call, in-dialog OPTIONS interval (0: off). */
  callLimits: { maxWaitMs: number; maxCallMs: number; keepaliveMs: number };
  /** The IVR flow the hotline runs. */
  flowName: string;
  logger: Logger;
  /**
   * Tells of each live call whose media is gone (its rtpengine call-id, and
   * why: its engine no longer holds it, or stopped answering); returns the remover.
   */
  mediaLost?: (listener: MediaLostListener) => () => void;
  /**
   * Listens to the ACD's live events (every process's; the listener picks its
   * own calls): a call that overflowed while waiting is told so. Returns the
   * remover.
   */
  acdEvents?: (listener: (event: AcdEvent) => void) => () => void;
  /**
   * Where each live call keeps its checkpoint, under this process's ACD node
   * id, so that a survivor can close it if this process dies (issue 14).
   */
  checkpoints?: { store: CallCheckpointStore; nodeId: string };
  /**
   * Admits or refuses each new hotline call on the media's ng round trip, the
   * event loop and the live calls (issue 16); none: every call is admitted.
   */
  overload?: OverloadGuard;
  /** A queue's announcements, music and in-queue keys (issue 17); none, or null for a queue: its callers hear the default music only. */
  queueWaitOptions?: (queueId: string) => Promise<QueueWaitOptions | null>;
  /** Voicemail (issue 17, call-session/voicemail-phase.ts); none: a caller sent to voicemail hears goodbye. */
  voicemail?: VoicemailSettings;
}
