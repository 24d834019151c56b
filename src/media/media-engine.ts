import type { MediaCallTracker } from './rtpengine-call-sweeper';
import type { NgCommandSender } from './rtpengine-ng-client';

/**
 * One rtpengine as a call uses it: a call's MediaSession is made on the
 * engine picked for it and keeps it for the call's whole life (issue 14).
 */
export interface MediaEngine {
  /** The engine's ng address, `udp://host:port`: the call's checkpoint names it for a survivor. */
  readonly id: string;
  readonly ng: NgCommandSender;
  /** Its --recording-dir (the raw captures) as this process sees it. */
  readonly recordingDir: string;
  /** Knows this process's calls on the engine: deletes those whose own delete failed, tells of those whose media is gone. */
  readonly tracker?: MediaCallTracker;
  /** The file to play for a prompt to a caller sent `codec` (a copy pre-encoded in it, prompt-variants); absent: the prompt file itself. */
  readonly promptFile?: (file: string, codec: string | null) => string;
}

/** The rtpengines a process may put calls on. */
export interface MediaEngines {
  /** The engine for a new call; throws DEPENDENCY_DOWN when none answers (the call is refused, as with rtpengine down). */
  pick(): MediaEngine;
  /**
   * The engine a call's checkpoint names, to close the call of a process that
   * died; the first one for a checkpoint that names none (written before
   * there were several); null for one this process does not know.
   */
  engine(id: string | null): MediaEngine | null;
}

/** Every call on the one engine: a process with a single rtpengine, and the unit tests' fakes. */
export function singleMediaEngine(engine: MediaEngine): MediaEngines {
  return {
    pick: () => engine,
    engine: (id) => (id === null || id === engine.id ? engine : null),
  };
}
