import { useEffect, useState } from 'preact/hooks';

/**
 * Microphone, headset and ringer choices, remembered per browser. Device ids
 * are only listed with labels after the page has had microphone permission;
 * before that the browser default is used.
 */
export interface DeviceChoice {
  input: string | null;
  output: string | null;
  ringer: string | null;
}

export interface SoftphonePreferences extends DeviceChoice {
  autoAnswer: boolean;
  notifications: boolean;
}

const KEY = 'switchboard.softphone.preferences';
const DEFAULTS: SoftphonePreferences = { input: null, output: null, ringer: null, autoAnswer: false, notifications: true };

export function loadPreferences(): SoftphonePreferences {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? { ...DEFAULTS, ...(JSON.parse(raw) as Partial<SoftphonePreferences>) } : { ...DEFAULTS };
  } catch {
    return { ...DEFAULTS };
  }
}

let current = loadPreferences();
const listeners = new Set<(p: SoftphonePreferences) => void>();

export function preferences(): SoftphonePreferences {
  return current;
}

export function updatePreferences(change: Partial<SoftphonePreferences>): void {
  current = { ...current, ...change };
  localStorage.setItem(KEY, JSON.stringify(current));
  for (const listener of listeners) listener(current);
}

export function usePreferences(): SoftphonePreferences {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => void listeners.delete(setValue);
  }, []);
  return value;
}

export interface DeviceLists {
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
  /** The browser can route audio to a chosen output (HTMLMediaElement.setSinkId). */
  canChooseOutput: boolean;
}

/** The audio devices, refreshed when one is plugged in or out. */
export function useAudioDevices(): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>({ inputs: [], outputs: [], canChooseOutput: 'setSinkId' in HTMLMediaElement.prototype });
  useEffect(() => {
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (!media) return undefined;
    let alive = true;
    const refresh = (): void => {
      media.enumerateDevices().then((devices) => {
        if (!alive) return;
        setLists((l) => ({
          ...l,
          inputs: devices.filter((d) => d.kind === 'audioinput'),
          outputs: devices.filter((d) => d.kind === 'audiooutput'),
        }));
      }, () => undefined);
    };
    refresh();
    media.addEventListener('devicechange', refresh);
    return () => {
      alive = false;
      media.removeEventListener('devicechange', refresh);
    };
  }, []);
  return lists;
}
