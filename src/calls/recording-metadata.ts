/** A finished recording's metadata (the recordings row). */
export interface RecordingMetadata {
  /** The id the call record already carries (CallRecorder.recordingStarted). */
  readonly id: string;
  readonly callId: string;
  /** Absolute path of the WAV under the recordings directory. */
  readonly filePath: string;
  readonly format?: string;
  readonly channels?: number;
  readonly sampleRate?: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
  /**
   * Keep until this instant (epoch ms) instead of the configured retention —
   * longer for a complaint under review, shorter on request. Null: the retention applies.
   */
  readonly purgeAfter?: number | null;
}

/** An agent's wrap-up form for a call (the wrap_ups row; its code becomes the call's disposition). */
export interface WrapUpRecord {
  readonly callId: string;
  readonly staffId: number;
  readonly dispositionCode: string;
  readonly notes?: string;
  readonly orderReference?: string | null;
  readonly orderAmount?: number | null;
}
