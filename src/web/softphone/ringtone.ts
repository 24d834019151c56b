/**
 * The ringtone, made with WebAudio (no sound file to ship): a European-style
 * double ring, 425 Hz mixed with 480 Hz, 0.4 s on / 0.2 s off / 0.4 s on /
 * 2 s off. It plays through an <audio> element so that the operator can send
 * it to another output (a loudspeaker while the headset is on the desk) with
 * `setSinkId`.
 */
export class Ringtone {
  private context: AudioContext | null = null;
  private element: (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private gain: GainNode | null = null;
  private oscillators: OscillatorNode[] = [];

  get playing(): boolean {
    return this.timer !== null;
  }

  async start(outputDeviceId: string | null): Promise<void> {
    if (this.timer) return;
    const context = this.context ?? new AudioContext();
    this.context = context;
    const destination = context.createMediaStreamDestination();
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(destination);
    for (const frequency of [425, 480]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start();
      this.oscillators.push(oscillator);
    }
    this.gain = gain;
    const element = document.createElement('audio') as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    element.hidden = true;
    element.srcObject = destination.stream;
    document.body.appendChild(element);
    this.element = element;
    if (outputDeviceId && element.setSinkId) await element.setSinkId(outputDeviceId).catch(() => undefined);
    const ring = (): void => {
      const now = context.currentTime;
      gain.gain.cancelScheduledValues(now);
      gain.gain.setValueAtTime(0.15, now);
      gain.gain.setValueAtTime(0, now + 0.4);
      gain.gain.setValueAtTime(0.15, now + 0.6);
      gain.gain.setValueAtTime(0, now + 1.0);
    };
    ring();
    this.timer = setInterval(ring, 3000);
    // A page that has had no click yet may refuse to play: the visual ring and the notification still show the call.
    await context.resume().catch(() => undefined);
    await element.play().catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const oscillator of this.oscillators) oscillator.stop();
    this.oscillators = [];
    this.gain?.disconnect();
    this.gain = null;
    if (this.element) {
      this.element.pause();
      this.element.srcObject = null;
      this.element.remove();
      this.element = null;
    }
  }

  async close(): Promise<void> {
    this.stop();
    const context = this.context;
    this.context = null;
    if (context) await context.close().catch(() => undefined);
  }
}
