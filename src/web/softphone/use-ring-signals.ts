import { useEffect, useRef } from 'preact/hooks';
import type { SoftphonePreferences } from './media-devices';
import type { PhoneSnapshot } from './phone';
import { RINGBACK, Ringtone } from './ringtone';
import { useT } from './softphone-i18n';

/**
 * What the softphone plays and shows around ringing: for an incoming call the
 * ringtone, the tab title and, in a background tab, a desktop notification;
 * for a call whose far end rings, ringback in the headset (the server plays
 * none before the answer).
 */
export function useRingSignals(snapshot: PhoneSnapshot, prefs: SoftphonePreferences): void {
  const t = useT();
  const ringtone = useRef<Ringtone | null>(null);
  const current = snapshot.current;
  const callState = snapshot.call;

  const ringingId = callState === 'ringing' ? current?.sessionId ?? null : null;
  useEffect(() => {
    if (!ringingId || !current) return undefined;
    const tone = ringtone.current ?? new Ringtone();
    ringtone.current = tone;
    void tone.start(prefs.ringer ?? prefs.output);
    const title = document.title;
    document.title = `☎ ${t('incomingCall')} — ${current.remoteNumber}`;
    let notification: Notification | null = null;
    if (document.hidden && prefs.notifications && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      notification = new Notification(t('incomingCall'), { body: [current.remoteName, current.remoteNumber, current.reason].filter(Boolean).join('\n'), tag: ringingId, requireInteraction: true });
      notification.onclick = () => {
        window.focus();
        notification?.close();
      };
    }
    return () => {
      tone.stop();
      document.title = title;
      notification?.close();
    };
  }, [ringingId]);
  useEffect(() => () => void ringtone.current?.close(), []);

  const ringbackId = (callState === 'calling_far' || callState === 'dialing') && current?.far === 'ringing' ? current.sessionId : null;
  useEffect(() => {
    if (!ringbackId) return undefined;
    const tone = new Ringtone(RINGBACK);
    void tone.start(prefs.output);
    return () => void tone.close();
  }, [ringbackId]);
}
