import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { fieldErrors } from '../shared/field-errors';

const useT = translator({
  en: { close: 'Close', save: 'Save', saving: 'Saving…', create: 'Create', cancel: 'Cancel' },
  ru: { close: 'Закрыть', save: 'Сохранить', saving: 'Сохранение…', create: 'Создать', cancel: 'Отмена' },
});

/** A side panel for a create/edit form; Escape closes it. */
export function Drawer(props: { title: string; onClose: () => void; children: ComponentChildren }): preact.JSX.Element {
  const t = useT();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape') props.onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.onClose]);
  return (
    <div class="drawer" role="dialog" aria-label={props.title}>
      <div class="row"><h2 class="grow">{props.title}</h2><button type="button" class="link" onClick={props.onClose}>{t('close')}</button></div>
      {props.children}
    </div>
  );
}

export interface SaveState<R> {
  busy: boolean;
  error: ApiError | null;
  fields: Record<string, string>;
  submit: (body: Record<string, unknown>) => Promise<R | null>;
  clear: () => void;
}

/** POST (create) or PATCH (edit) of one record, with the server's per-field messages kept for the form. */
export function useSave<R>(path: string, id: number | null): SaveState<R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (body: Record<string, unknown>): Promise<R | null> => {
    setBusy(true);
    setError(null);
    try {
      return id === null ? await api.post<R>(path, body) : await api.patch<R>(`${path}/${id}`, body);
    } catch (err) {
      setError(asApiError(err));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, fields: fieldErrors(error), submit, clear: () => setError(null) };
}

/** The form's error banner and Save / Cancel buttons. */
export function FormFooter(props: { state: { busy: boolean; error: ApiError | null }; creating: boolean; onCancel: () => void }): preact.JSX.Element {
  const t = useT();
  return (
    <>
      <ErrorBanner error={props.state.error} />
      <div class="row">
        <button type="submit" class="primary" disabled={props.state.busy}>{props.state.busy ? t('saving') : props.creating ? t('create') : t('save')}</button>
        <button type="button" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </>
  );
}

/** Only the fields that differ from the record, so a PATCH changes (and audits) what the admin changed. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): Record<string, unknown> {
  if (!before) return after;
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => JSON.stringify(before[k]) !== JSON.stringify(v)));
}

export function skillsToText(skills: Record<string, number>): string {
  return Object.entries(skills).map(([k, v]) => `${k}:${v}`).join(', ');
}

/** `orders:3, regional:2` → `{ orders: 3, regional: 2 }`; a skill without a level gets 1. */
export function textToSkills(text: string): Record<string, number> {
  return Object.fromEntries(text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name = '', level = '1'] = s.split(':').map((p) => p.trim());
    return [name, Number(level)];
  }));
}

export function listText(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
