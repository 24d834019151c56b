/**
 * How a tone sounds: its frequencies, loudness, the bursts of one cycle
 * (start and length in seconds) and the cycle's length in milliseconds.
 */
interface ToneCadence {
  /** Set on the tone's <audio> element as data-tone, for tests and devtools. */
  name: string;
  frequencies: readonly number[];
  level: number;
  bursts: ReadonlyArray<readonly [start: number, length: number]>;
  everyMs: number;
}

/** An incoming call: a double ring, 425 Hz mixed with 480 Hz, 0.4 s on / 0.2 s off / 0.4 s on / 2 s off. */
const INCOMING_RING: ToneCadence = { name: 'ring', frequencies: [425, 480], level: 0.15, bursts: [[0, 0.4], [0.6, 0.4]], everyMs: 3000 };

/**
 * Ringback, what a caller hears while the other phone rings (ITU-T E.180,
 * as in Russia and most of Europe): 425 Hz, 1 s on / 4 s off, quieter, in the
 * operator's headset. The server sends no early media on a click-to-call.
 */
export const RINGBACK: ToneCadence = { name: 'ringback', frequencies: [425], level: 0.06, bursts: [[0, 1]], everyMs: 5000 };

/**
 * A tone made with WebAudio (no sound file to ship): the ringtone by default,
 * or ringback. It plays through an <audio> element so that the operator can
 * send it to another output (a loudspeaker while the headset is on the desk)
 * with `setSinkId`.
 */
export class Ringtone {
  constructor(private readonly cadence: ToneCadence = INCOMING_RING) {}

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
    for (const frequency of this.cadence.frequencies) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start();
      this.oscillators.push(oscillator);
    }
    this.gain = gain;
    const element = document.createElement('audio') as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    element.hidden = true;
    element.dataset.tone = this.cadence.name;
    element.srcObject = destination.stream;
    document.body.appendChild(element);
    this.element = element;
    if (outputDeviceId && element.setSinkId) await element.setSinkId(outputDeviceId).catch(() => undefined);
    const { bursts, level, everyMs } = this.cadence;
    const ring = (): void => {
      const now = context.currentTime;
      gain.gain.cancelScheduledValues(now);
      for (const [start, length] of bursts) {
        gain.gain.setValueAtTime(level, now + start);
        gain.gain.setValueAtTime(0, now + start + length);
      }
    };
    ring();
    this.timer = setInterval(ring, everyMs);
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
