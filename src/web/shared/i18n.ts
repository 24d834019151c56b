import { useEffect, useState } from 'preact/hooks';
import { fillPlaceholders } from './placeholders';

/**
 * English and Russian UI. Each app keeps its own dictionary: the English one is
 * the source and its keys type the Russian one, so a missing translation is a
 * type error, not a blank label.
 */
export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];
const LOCALE_KEY = 'switchboard.locale';

export type Dictionary<K extends string> = Record<K, string>;

function initialLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

let locale: Locale = initialLocale();
const listeners = new Set<(l: Locale) => void>();

export function currentLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  localStorage.setItem(LOCALE_KEY, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/** Re-renders the component when the language changes. */
export function useLocale(): Locale {
  const [value, setValue] = useState(locale);
  useEffect(() => {
    listeners.add(setValue);
    return () => void listeners.delete(setValue);
  }, []);
  return value;
}

/** `t('key', { n: 3 })` — `{n}` placeholders are filled from the values. */
export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

export function translator<K extends string>(dictionaries: Record<Locale, Dictionary<K>>): () => Translate<K> {
  return function useT(): Translate<K> {
    const current = useLocale();
    return (key, values) => {
      const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
      return values ? fillPlaceholders(text, values) : text;
    };
  };
}

/** 0:07, 12:45, 1:02:03 — how call centres show durations. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString(locale === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function formatMoney(amount: number | string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const value = typeof amount === 'string' ? Number(amount) : amount;
  return value.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(1)} %`;
}
