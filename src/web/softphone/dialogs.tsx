import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { updatePreferences, useAudioDevices, usePreferences } from './media-devices';
import { Ringtone } from './ringtone';
import { SHORTCUTS } from './keyboard-shortcuts';
import { useT } from './softphone-i18n';

/** A modal panel: focus moves into it, Escape or the close button shuts it. */
function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren }): preact.JSX.Element {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('button, select, input')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') props.onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);
  return (
    <div class="sp-backdrop" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div class="sp-dialog" role="dialog" aria-modal="true" aria-label={props.title} ref={ref}>
        <div class="sp-dialog-head">
          <h2>{props.title}</h2>
          <button type="button" class="link" onClick={props.onClose} aria-label={t('close')}>✕</button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

export function HelpDialog(props: { onClose: () => void }): preact.JSX.Element {
  const t = useT();
  return (
    <Dialog title={t('shortcutsHelp')} onClose={props.onClose}>
      <table class="sp-table" aria-label={t('shortcutsHelp')}>
        <tbody>
          {SHORTCUTS.map((s) => <tr key={s.key}><td><kbd>{s.label}</kbd></td><td>{t(s.action)}</td></tr>)}
        </tbody>
      </table>
      <p class="muted">{t('shortcutsNote')}</p>
    </Dialog>
  );
}

/** Microphone, headset and ringer devices, auto-answer and desktop notifications. */
export function SettingsDialog(props: { onClose: () => void }): preact.JSX.Element {
  const t = useT();
  const prefs = usePreferences();
  const devices = useAudioDevices();
  const [testing, setTesting] = useState<Ringtone | null>(null);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  useEffect(() => () => void testing?.close(), [testing]);
  const option = (d: MediaDeviceInfo, i: number): preact.JSX.Element => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `${t('device')} ${i + 1}`}</option>;
  const testRing = async (): Promise<void> => {
    if (testing) {
      await testing.close();
      setTesting(null);
      return;
    }
    const ringtone = new Ringtone();
    setTesting(ringtone);
    await ringtone.start(prefs.ringer ?? prefs.output);
  };
  const toggleNotifications = async (on: boolean): Promise<void> => {
    updatePreferences({ notifications: on });
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') setPermission(await Notification.requestPermission());
  };
  return (
    <Dialog title={t('settings')} onClose={props.onClose}>
      <div class="stack">
        <label>{t('microphone')}
          <select value={prefs.input ?? ''} onChange={(e) => updatePreferences({ input: e.currentTarget.value || null })}>
            <option value="">{t('systemDefault')}</option>
            {devices.inputs.map(option)}
          </select>
        </label>
        <label>{t('speaker')}
          <select value={prefs.output ?? ''} disabled={!devices.canChooseOutput} onChange={(e) => updatePreferences({ output: e.currentTarget.value || null })}>
            <option value="">{t('systemDefault')}</option>
            {devices.outputs.map(option)}
          </select>
        </label>
        <label>{t('ringer')}
          <select value={prefs.ringer ?? ''} disabled={!devices.canChooseOutput} onChange={(e) => updatePreferences({ ringer: e.currentTarget.value || null })}>
            <option value="">{t('sameAsSpeaker')}</option>
            {devices.outputs.map(option)}
          </select>
        </label>
        {!devices.canChooseOutput && <p class="muted">{t('noSinkId')}</p>}
        <button type="button" onClick={() => void testRing()} aria-pressed={testing !== null}>{testing ? t('stopTest') : t('testRingtone')}</button>
        <label class="sp-check">
          <input type="checkbox" checked={prefs.autoAnswer} onChange={(e) => updatePreferences({ autoAnswer: e.currentTarget.checked })} />
          {t('autoAnswer')}
        </label>
        <label class="sp-check">
          <input type="checkbox" checked={prefs.notifications} onChange={(e) => void toggleNotifications(e.currentTarget.checked)} />
          {t('desktopNotifications')}
        </label>
        {prefs.notifications && permission === 'denied' && <p class="error">{t('notificationsDenied')}</p>}
      </div>
    </Dialog>
  );
}
