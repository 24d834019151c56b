/**
 * A WebSocket that never gives up: exponential backoff with jitter from 1 s up to
 * 30 s, unlimited tries, and a status the UI shows. The server is the truth, so
 * every (re)connection starts with a full snapshot from it ("hello" / "floor").
 */
export type LiveSocketStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LiveSocketOptions<M> {
  /** Built anew on every attempt, so that a refreshed token is used. */
  url: () => string;
  onMessage: (message: M) => void;
  onStatus?: (status: LiveSocketStatus, detail: { attempt: number; retryInMs: number | null }) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class LiveSocket<M = unknown> {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: LiveSocketOptions<M>) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close(1000, 'closed by the page');
    this.socket = null;
    this.options.onStatus?.('closed', { attempt: this.attempt, retryInMs: null });
  }

  send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): void {
    this.options.onStatus?.(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt, retryInMs: null });
    const socket = new WebSocket(this.options.url());
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onStatus?.('open', { attempt: 0, retryInMs: null });
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      try {
        this.options.onMessage(JSON.parse(event.data) as M);
      } catch {
        // A message the page cannot read is dropped; the next snapshot corrects the view.
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    this.attempt += 1;
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30000;
    const base = Math.min(max, min * 2 ** Math.min(this.attempt - 1, 10));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.options.onStatus?.('reconnecting', { attempt: this.attempt, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
