/**
 * Where the far end's audio plays: a hidden <audio> element, the one piece
 * of the page the phone touches, routed to the chosen output device.
 */
export class RemoteAudio {
  private readonly element: AudioOut;
  /** One more element per extra track of a monitoring call: each party's stream plays on its own, the browser mixes them. */
  private extras: AudioOut[] = [];

  constructor() {
    this.element = hiddenAudio();
  }

  /** Plays `stream` on the output device `output` (null: the browser's default). */
  play(stream: MediaStream, output: string | null): void {
    this.element.srcObject = stream;
    void this.setOutput(output);
    this.element.play().catch(() => undefined);
  }

  /** Plays each of `tracks` on its own element (a monitoring call's parties), all on the output device `output`. */
  playTracks(tracks: readonly MediaStreamTrack[], output: string | null): void {
    const [first, ...rest] = tracks;
    if (!first) return;
    this.play(new MediaStream([first]), output);
    for (const track of rest) {
      const extra = hiddenAudio();
      this.extras.push(extra);
      extra.srcObject = new MediaStream([track]);
      if (output && extra.setSinkId) void extra.setSinkId(output).catch(() => undefined);
      extra.play().catch(() => undefined);
    }
  }

  clear(): void {
    this.element.srcObject = null;
    for (const extra of this.extras) {
      extra.srcObject = null;
      extra.remove();
    }
    this.extras = [];
  }

  /** Applies a newly chosen output device. */
  async setOutput(deviceId: string | null): Promise<void> {
    await Promise.all([this.element, ...this.extras].map((element) => element.setSinkId?.(deviceId ?? '').catch(() => undefined)));
  }

  remove(): void {
    this.clear();
    this.element.remove();
  }
}

type AudioOut = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

function hiddenAudio(): AudioOut {
  const element: AudioOut = document.createElement('audio');
  element.autoplay = true;
  element.setAttribute('aria-hidden', 'true');
  element.hidden = true;
  document.body.appendChild(element);
  return element;
}
