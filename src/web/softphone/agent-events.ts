import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api-client';
import { LiveSocket, type LiveSocketStatus } from '../shared/live-socket';
import type { AgentEvent } from './softphone-api';

export interface EventSocketState {
  status: LiveSocketStatus;
  attempt: number;
  retryInMs: number | null;
}

/**
 * The operator's own event stream (`/api/agent/events`): agent state, offered
 * and ended calls. Reconnects forever (LiveSocket); every connection starts
 * with a `hello` snapshot, so nothing missed while away is lost.
 */
export function useAgentEvents(enabled: boolean, onEvent: (event: AgentEvent) => void): EventSocketState & { socket: LiveSocket<AgentEvent> | null } {
  const [state, setState] = useState<EventSocketState>({ status: 'connecting', attempt: 0, retryInMs: null });
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const socketRef = useRef<LiveSocket<AgentEvent> | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    const socket = new LiveSocket<AgentEvent>({
      url: () => api.socketUrl('/api/agent/events'),
      onMessage: (message) => {
        // Keepalive: answer the server's ping so that it keeps us (and the proxies in between) alive.
        if (message.type === 'ping') socket.send({ type: 'pong' });
        handler.current(message);
      },
      onStatus: (status, detail) => setState({ status, attempt: detail.attempt, retryInMs: detail.retryInMs }),
    });
    socketRef.current = socket;
    socket.start();
    return () => {
      socketRef.current = null;
      socket.stop();
    };
  }, [enabled]);
  return { ...state, socket: socketRef.current };
}
