/**
 * A queue's settings for its waiting callers (issue 17), as the call reads
 * them: how often their place and wait are said, the music between, and the
 * keys of the in-queue options.
 */
export interface QueueWaitOptions {
  /** 0: no position announcements. */
  announceEverySeconds: number;
  /** 'default': the system's music on hold; otherwise the id of a prompt (e.g. an uploaded recording) looped instead. */
  musicOnHold: string;
  /** One digit, or null when the callback option is not offered. */
  callbackKey: string | null;
  /** One digit, or null when leaving a message is not offered. */
  messageKey: string | null;
}

/** The system music on hold, as a queue's musicOnHold names it. */
export const DEFAULT_MUSIC_ON_HOLD = 'default';

/** What a queue the directory does not know gets (the direct queue, where a person's chain rings, has no line to tell of): music only. */
export const FALLBACK_QUEUE_WAIT_OPTIONS: QueueWaitOptions = {
  announceEverySeconds: 0, musicOnHold: DEFAULT_MUSIC_ON_HOLD, callbackKey: null, messageKey: null,
};
