import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { asApiError } from '../../../shared/hooks';
import { LiveSocket, type LiveSocketStatus } from '../../../shared/live-socket';
import type { FloorSnapshot } from '../../../../api/schemas/floor-schemas';

export interface FloorState {
  snapshot: FloorSnapshot | null;
  /** Local clock when the snapshot arrived: timers tick from here, so the server's clock never skews them. */
  receivedAt: number;
  status: LiveSocketStatus;
  error: ApiError | null;
}

/** How long to wait before asking again when the first read failed for a reason that may pass. */
const RETRY_MS = 5000;

function isSnapshot(message: unknown): message is FloorSnapshot {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'floor'
    && Array.isArray((message as { queues?: unknown }).queues);
}

/** Refusals that asking again will not change: not allowed, or no wallboard on this server. */
function isFinal(error: ApiError): boolean {
  return error.status === 401 || error.status === 403 || error.status === 404;
}

/**
 * The live floor: one HTTP read first — a quick first paint, and a readable
 * error when the server refuses (the WebSocket would only fail its handshake
 * without saying why) — then the WebSocket, which sends a full snapshot on
 * every (re)connection and whenever something changes.
 */
export function useFloor(): FloorState {
  const [state, setState] = useState<FloorState>({ snapshot: null, receivedAt: Date.now(), status: 'connecting', error: null });
  useEffect(() => {
    let live = true;
    let socketSnapshotSeen = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const socket = new LiveSocket<unknown>({
      url: () => api.socketUrl('/api/floor/live'),
      onMessage: (message) => {
        if (!live || !isSnapshot(message)) return;
        socketSnapshotSeen = true;
        setState((s) => ({ ...s, snapshot: message, receivedAt: Date.now(), error: null }));
      },
      onStatus: (status) => { if (live) setState((s) => ({ ...s, status })); },
    });
    const firstRead = (): void => {
      api.get<FloorSnapshot>('/api/floor').then(
        (snapshot) => {
          if (!live) return;
          // The socket's snapshot is at least as new: never overwrite it with the HTTP answer.
          if (!socketSnapshotSeen) setState((s) => ({ ...s, snapshot, receivedAt: Date.now(), error: null }));
          socket.start();
        },
        (err: unknown) => {
          if (!live) return;
          const error = asApiError(err);
          setState((s) => ({ ...s, error, status: isFinal(error) ? 'closed' : 'reconnecting' }));
          if (!isFinal(error)) retry = setTimeout(firstRead, RETRY_MS);
        },
      );
    };
    firstRead();
    return () => {
      live = false;
      if (retry) clearTimeout(retry);
      socket.stop();
    };
  }, []);
  return state;
}
