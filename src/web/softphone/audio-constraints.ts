/**
 * The media constraints of a call this phone places or answers: the chosen
 * microphone (`input`; null = the browser's default), or none at all for a
 * call that only listens — then no microphone permission is asked for. Pure.
 */
export function audioConstraints(input: string | null, microphone = true): { audio: boolean | MediaTrackConstraints; video: false } {
  return { audio: !microphone ? false : input ? { deviceId: { exact: input } } : true, video: false };
}
