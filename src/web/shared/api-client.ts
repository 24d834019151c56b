import type { Session, UrlTicket, User } from '../../api/schemas/auth-schemas';

/**
 * The browser's one way to call the Switchboard REST API: bearer token from the
 * session, JSON in and out, and the server's error body turned into an ApiError
 * that the UI can show (code, message and, for schema errors, the fields).
 */
export interface ApiErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The logged-in user as the page keeps it: what it reads of the server's User. */
export type SessionUser = Pick<User, 'id' | 'username' | 'role' | 'staffId'>;

/** `POST /api/auth/login`'s answer, kept in localStorage across reloads. */
export interface StoredSession extends Omit<Session, 'user'> {
  user: SessionUser;
}

const SESSION_KEY = 'switchboard.session';

/** The session survives a reload (an operator's shift outlives a tab refresh) but not its expiry. */
export function loadSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as StoredSession;
    if (new Date(session.expiresAt).getTime() <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

type Listener = () => void;

export class ApiClient {
  private session: StoredSession | null = loadSession();
  private readonly unauthenticatedListeners = new Set<Listener>();

  get user(): SessionUser | null {
    return this.session?.user ?? null;
  }

  get token(): string | null {
    return this.session?.token ?? null;
  }

  /** Called when the server says the token is no longer good, so the app can show the login form. */
  onUnauthenticated(listener: Listener): () => void {
    this.unauthenticatedListeners.add(listener);
    return () => this.unauthenticatedListeners.delete(listener);
  }

  async login(username: string, password: string): Promise<SessionUser> {
    const session = await this.request<StoredSession>('POST', '/api/auth/login', { username, password }, { anonymous: true });
    this.session = session;
    saveSession(session);
    return session.user;
  }

  async logout(): Promise<void> {
    try {
      if (this.session) await this.request('POST', '/api/auth/logout');
    } finally {
      this.session = null;
      saveSession(null);
    }
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Sends a raw body (file upload, CSV) with its own content type. */
  async upload<T>(method: string, path: string, body: Blob | FormData | string, contentType?: string): Promise<T> {
    const headers: Record<string, string> = this.authHeaders();
    if (contentType) headers['content-type'] = contentType;
    return this.parse<T>(await fetch(path, { method, headers, body }));
  }

  /**
   * A URL for <audio src> and download links, which cannot send headers: the
   * path with a ticket valid for it alone for a minute (POST /api/auth/tickets),
   * never the session token. Ask for it when it is about to be used.
   */
  async ticketUrl(path: string, use: 'download' | 'socket' = 'download'): Promise<string> {
    const at = path.indexOf('?');
    const { url } = await this.request<UrlTicket>('POST', '/api/auth/tickets', { path: at < 0 ? path : path.slice(0, at), use });
    return at < 0 ? url : `${url}&${path.slice(at + 1)}`;
  }

  /** ws:// or wss:// URL on this origin for a WebSocket route, with a single-use ticket: ask for a new one for every connection. */
  async socketUrl(path: string): Promise<string> {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${await this.ticketUrl(path, 'socket')}`;
  }

  /** A file the API serves, fetched with the session's header: for audio the page decodes and plays from memory. */
  async blob(path: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(path, { headers: this.authHeaders() });
    } catch {
      throw new ApiError(0, 'NETWORK', 'the server cannot be reached');
    }
    if (!response.ok) return this.parse<never>(response);
    return response.blob();
  }

  /** Has the browser download what `path` answers (a CSV report): through a ticket URL, so the browser's own download manager takes it. */
  async download(path: string): Promise<void> {
    const link = document.createElement('a');
    link.href = await this.ticketUrl(path);
    link.download = '';
    document.body.appendChild(link);
    try {
      link.click();
    } finally {
      link.remove();
    }
  }

  private authHeaders(): Record<string, string> {
    return this.session ? { authorization: `Bearer ${this.session.token}` } : {};
  }

  private async request<T>(method: string, path: string, body?: unknown, options: { anonymous?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = options.anonymous ? {} : this.authHeaders();
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'the server cannot be reached');
    }
    return this.parse<T>(response, options.anonymous);
  }

  private async parse<T>(response: Response, anonymous = false): Promise<T> {
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed: unknown = text && contentType.includes('json') ? JSON.parse(text) : text;
    if (response.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } } | null)?.error;
    if (response.status === 401 && !anonymous) {
      this.session = null;
      saveSession(null);
      for (const listener of this.unauthenticatedListeners) listener();
    }
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? (response.statusText || 'request failed'), error?.details ?? []);
  }
}

export const api = new ApiClient();
