import { useEffect, useState } from 'preact/hooks';
import type { MonitoringCapabilities, MonitoringSession } from '../../api/schemas/call-monitoring-schemas';
import { api, type ApiError } from '../shared/api-client';
import { asApiError } from '../shared/hooks';
import type { MonitorMode } from './monitoring-call';

export interface MonitorModes {
  /** The modes this user may switch to (GET /api/call-monitoring/capabilities → allowedModes); empty: no buttons. */
  allowed: MonitorMode[];
  /** The session's mode as the server last said it (the INVITE's until then). */
  active: MonitorMode;
  busy: boolean;
  error: ApiError | null;
  change: (mode: MonitorMode) => void;
  dismissError: () => void;
}

/**
 * The mode switch of the monitoring call on this phone (issue 18): the modes
 * the server allows, and PATCH /api/call-monitoring/sessions/:id. The mode
 * shown is the server's answer, never the button pressed. When the talk leg
 * comes or goes (`talkConnected`) the session is read again, as the mode may
 * have been switched from the wallboard.
 */
export function useMonitorModes(sessionId: string, initial: MonitorMode, talkConnected: boolean): MonitorModes {
  const [allowed, setAllowed] = useState<MonitorMode[]>([]);
  const [active, setActive] = useState<MonitorMode>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api.get<MonitoringCapabilities>('/api/call-monitoring/capabilities').then(
      (caps) => { if (live) setAllowed(caps.available ? caps.allowedModes : []); },
      // Without the capabilities there are no buttons; the call itself goes on.
      () => undefined,
    );
    return () => { live = false; };
  }, []);

  useEffect(() => {
    if (!sessionId) return undefined;
    let live = true;
    api.get<{ items: MonitoringSession[] }>('/api/call-monitoring/sessions?active=true').then(
      (list) => {
        const mine = list.items.find((s) => s.id === sessionId);
        if (live && mine) setActive(mine.mode);
      },
      () => undefined,
    );
    return () => { live = false; };
  }, [sessionId, talkConnected]);

  const change = (mode: MonitorMode): void => {
    if (!sessionId || busy) return;
    setBusy(true);
    setError(null);
    api.patch<MonitoringSession>(`/api/call-monitoring/sessions/${encodeURIComponent(sessionId)}`, { mode }).then(
      (session) => { setActive(session.mode); setBusy(false); },
      (err: unknown) => { setError(asApiError(err)); setBusy(false); },
    );
  };

  return { allowed, active, busy, error, change, dismissError: () => setError(null) };
}
