import { useEffect, useRef, useState } from 'preact/hooks';
import type { SideCallKind } from './monitoring-call';
import { Phone, type CallInfo, type PhoneSnapshot, type SipSettings } from './phone';
import type { AudioBytes } from './rtp-bytes';
import type { SideCallView } from './side-calls';
import { preferences } from './media-devices';
import { softphoneApi } from './softphone-api';

export interface DebugHandle {
  phone: Phone;
  snapshot: () => PhoneSnapshot;
  peerConnection: () => RTCPeerConnection | null;
  /** The far end's audio tracks as they play (a monitoring call: one per party). */
  remoteTracks: () => MediaStreamTrack[];
  dropSip: () => void;
  /** The monitoring side calls (issue 18) beside the call: talk (supervisor's microphone), coach (the agent hears the supervisor). */
  sideCalls: () => SideCallView[];
  /** Audio bytes received and sent by the newest side call of this kind (getStats); null when there is none. */
  sideCallStats: (kind: SideCallKind) => Promise<AudioBytes | null>;
  /** The newest side call of this kind's remote audio tracks, for WebAudio analysis. */
  sideRemoteTracks: (kind: SideCallKind) => MediaStreamTrack[];
}

declare global {
  interface Window {
    /** Set only when localStorage `switchboard.debug` is "1" (tests, support): never in a normal session. */
    __softphone?: DebugHandle;
  }
}

const IDLE: PhoneSnapshot = { registration: 'stopped', attempt: 0, retryInMs: null, registrationError: null, call: 'idle', current: null, last: null, sideCalls: [] };

function debugEnabled(): boolean {
  try {
    return localStorage.getItem('switchboard.debug') === '1';
  } catch {
    return false;
  }
}

/**
 * Starts the phone for these SIP settings and re-renders on every change of
 * its state machines. The phone is stopped (unregistered, WebSocket closed,
 * timers cleared) when the component goes away.
 */
export function usePhone(sip: SipSettings | null, autoAnswer: (info: CallInfo) => boolean): { phone: Phone | null; snapshot: PhoneSnapshot } {
  const [snapshot, setSnapshot] = useState<PhoneSnapshot>(IDLE);
  const [phone, setPhone] = useState<Phone | null>(null);
  const decide = useRef(autoAnswer);
  decide.current = autoAnswer;
  useEffect(() => {
    if (!sip) return undefined;
    const created = new Phone({
      sip,
      refreshSip: async () => {
        const fresh = await softphoneApi.config();
        if (!fresh.sip) throw new Error('this staff member no longer has a SIP login');
        return fresh.sip;
      },
      devices: () => ({ input: preferences().input, output: preferences().output }),
      autoAnswer: (info) => decide.current(info),
    });
    const unsubscribe = created.subscribe(setSnapshot);
    setPhone(created);
    setSnapshot(created.snapshot);
    if (debugEnabled()) {
      window.__softphone = {
        phone: created,
        snapshot: () => created.snapshot,
        peerConnection: () => created.peerConnection,
        remoteTracks: () => created.remoteTracks,
        dropSip: () => created.dropConnection(),
        sideCalls: () => created.sideCalls.views,
        sideCallStats: (kind) => created.sideCalls.stats(kind),
        sideRemoteTracks: (kind) => created.sideCalls.remoteTracks(kind),
      };
    }
    void created.start().catch(() => undefined);
    return () => {
      unsubscribe();
      if (window.__softphone?.phone === created) delete window.__softphone;
      void created.stop().catch(() => undefined);
    };
    // A new phone only for new settings (a new login); refreshed passwords are applied inside the phone.
  }, [sip?.uri, sip?.wsServer]);
  return { phone, snapshot };
}
