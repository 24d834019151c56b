/**
 * Where the far end's audio plays: a hidden <audio> element, the one piece
 * of the page the phone touches, routed to the chosen output device.
 */
export class RemoteAudio {
  private readonly element: HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

  constructor() {
    this.element = document.createElement('audio');
    this.element.autoplay = true;
    this.element.setAttribute('aria-hidden', 'true');
    this.element.hidden = true;
    document.body.appendChild(this.element);
  }

  /** Plays `stream` on the output device `output` (null: the browser's default). */
  play(stream: MediaStream, output: string | null): void {
    this.element.srcObject = stream;
    void this.setOutput(output);
    this.element.play().catch(() => undefined);
  }

  clear(): void {
    this.element.srcObject = null;
  }

  /** Applies a newly chosen output device. */
  async setOutput(deviceId: string | null): Promise<void> {
    if (!this.element.setSinkId) return;
    await this.element.setSinkId(deviceId ?? '').catch(() => undefined);
  }

  remove(): void {
    this.clear();
    this.element.remove();
  }
}
