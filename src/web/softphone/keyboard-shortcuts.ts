import { useEffect, useRef } from 'preact/hooks';

export type ShortcutAction = 'kbAnswer' | 'kbHangUp' | 'kbHold' | 'kbMute' | 'kbReady' | 'kbHelp' | 'kbClose';

/** The keys, as shown in the "?" panel. Single keys, no modifier: a headset user has one hand free. */
export const SHORTCUTS: ReadonlyArray<{ key: string; label: string; action: ShortcutAction }> = [
  { key: 'a', label: 'A', action: 'kbAnswer' },
  { key: 'e', label: 'E', action: 'kbHangUp' },
  { key: 'h', label: 'H', action: 'kbHold' },
  { key: 'm', label: 'M', action: 'kbMute' },
  { key: 'r', label: 'R', action: 'kbReady' },
  { key: '?', label: '?', action: 'kbHelp' },
  { key: 'Escape', label: 'Esc', action: 'kbClose' },
];

/** True while the user is typing: then no key is a shortcut. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
  }
  return false;
}

/** Listens for the shortcuts on the whole page, except while typing or with a modifier held. */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const shortcut = SHORTCUTS.find((s) => s.key === key);
      const handler = shortcut ? ref.current[shortcut.action] : undefined;
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
