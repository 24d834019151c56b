/**
 * A WebSocket that never gives up: exponential backoff with jitter from 1 s up to
 * 30 s, unlimited tries, and a status the UI shows. The server is the truth, so
 * every (re)connection starts with a full snapshot from it ("hello" / "floor").
 * The server closes a socket whose session ended with 4401 (the next attempt's
 * ticket request then fails with 401 and the page shows the login) and one
 * whose role no longer allows it with 4403: that one is not retried.
 */
export type LiveSocketStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LiveSocketOptions<M> {
  /** Built anew on every attempt: each connection takes a fresh single-use ticket (api.socketUrl). */
  url: () => string | Promise<string>;
  onMessage: (message: M) => void;
  onStatus?: (status: LiveSocketStatus, detail: { attempt: number; retryInMs: number | null }) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** The server's close when the user's role or account no longer allows the socket (api/socket-sessions.ts). */
const FORBIDDEN_CLOSE = 4403;

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
    Promise.resolve()
      .then(() => this.options.url())
      .then((url) => {
        if (!this.stopped) this.open(url);
      }, () => {
        // No ticket (server away, or the session is over: the API client has sent the page to its login already).
        if (!this.stopped) this.scheduleRetry();
      });
  }

  private open(url: string): void {
    const socket = new WebSocket(url);
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
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      if (event.code === FORBIDDEN_CLOSE) {
        this.stopped = true;
        this.options.onStatus?.('closed', { attempt: this.attempt, retryInMs: null });
        return;
      }
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
