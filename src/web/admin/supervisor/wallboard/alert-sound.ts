/**
 * A short two-tone chime for new wallboard alerts, synthesised with WebAudio
 * (no sound file to ship). Browsers only let a page make sound after a user
 * gesture, so the context is created when the supervisor switches sound on.
 */
export class AlertSound {
  private context: AudioContext | null = null;

  /** Call from the click that enables sound. */
  enable(): void {
    if (!this.context) this.context = new AudioContext();
    void this.context.resume().catch(() => undefined);
  }

  disable(): void {
    const context = this.context;
    this.context = null;
    if (context) void context.close().catch(() => undefined);
  }

  get enabled(): boolean {
    return this.context !== null;
  }

  chime(): void {
    const context = this.context;
    if (!context) return;
    const start = context.currentTime + 0.02;
    [880, 660].forEach((frequency, i) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      const t = start + i * 0.22;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(0.25, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, t + 0.2);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(t);
      oscillator.stop(t + 0.21);
    });
  }
}
