import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDateTime, translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { DiffView } from '../shared/diff-view';
import { diffJson } from '../shared/json-diff';

import type { AuditEntry } from '../../../../api/schemas/audit-schemas';

const useT = translator({
  en: {
    title: 'Audit log', entity: 'What', anyEntity: 'everything', entityId: 'Record id', when: 'When', who: 'Who', action: 'Action', record: 'Record', changes: 'Changes',
    show: 'Show diff', hide: 'Hide diff', more: 'Older entries', loading: 'Loading…', empty: 'Nothing recorded yet.', filter: 'Filter', changed: '{n} field(s)',
    a_create: 'created', a_update: 'changed', a_delete: 'deleted', a_import: 'imported', a_publish: 'published', a_rollback: 'rolled back', openVersions: 'Open the versions',
    diffOf: 'Changes of entry {id}',
  },
  ru: {
    title: 'Журнал изменений', entity: 'Что', anyEntity: 'всё', entityId: 'Номер записи', when: 'Когда', who: 'Кто', action: 'Действие', record: 'Запись', changes: 'Изменения',
    show: 'Показать изменения', hide: 'Скрыть изменения', more: 'Более ранние записи', loading: 'Загрузка…', empty: 'Пока ничего не записано.', filter: 'Фильтр', changed: 'полей: {n}',
    a_create: 'создано', a_update: 'изменено', a_delete: 'удалено', a_import: 'импорт', a_publish: 'опубликовано', a_rollback: 'откат', openVersions: 'Открыть версии',
    diffOf: 'Изменения записи {id}',
  },
});

const KNOWN_ENTITIES = ['staff member', 'client', 'department', 'queue', 'business hours schedule', 'IVR flow', 'routing config', 'prompt', 'client type', 'disposition code', 'not-ready reason', 'user', 'demo data', 'monitoring session', 'queue supervisors'];
const PAGE = 50;

/** Where a config entry's versions can be compared (the publish entries only name version numbers). */
function versionsLink(entry: AuditEntry): string | null {
  if (entry.entity === 'routing config') return '#/routing/versions';
  if (entry.entity === 'IVR flow' && entry.entityId) return `#/ivr/${encodeURIComponent(entry.entityId.split('@')[0] ?? 'main')}/versions`;
  return null;
}

/** Who changed what and when; each entry opens to its before/after diff. */
export function AuditPage(_props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const [entity, setEntity] = useState('');
  const [entityId, setEntityId] = useState('');
  const [applied, setApplied] = useState({ entity: '', entityId: '' });
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const query = (before?: number): string => {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (applied.entity) params.set('entity', applied.entity);
    if (applied.entityId) params.set('entityId', applied.entityId);
    if (before) params.set('before', String(before));
    return `/api/audit?${params.toString()}`;
  };
  const first = useAsync(() => { setOlder([]); return api.get<AuditEntry[]>(query()); }, [applied]);
  const entries = [...(first.data ?? []), ...older];
  const last = entries[entries.length - 1];
  const loadMore = async (): Promise<void> => {
    if (!last) return;
    try {
      const next = await api.get<AuditEntry[]>(query(last.id));
      setOlder((o) => [...o, ...next]);
    } catch (err) {
      setMoreError(asApiError(err));
    }
  };
  const toggle = (id: number): void => setOpen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  return (
    <div class="stack config-page audit-page">
      <div class="row page-head"><h1 class="grow">{t('title')}</h1></div>
      <form class="toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setApplied({ entity, entityId: entityId.trim() }); }}>
        <label>{t('entity')}
          <select value={entity} onChange={(e) => { setEntity(e.currentTarget.value); setApplied({ entity: e.currentTarget.value, entityId: entityId.trim() }); }}>
            <option value="">{t('anyEntity')}</option>
            {KNOWN_ENTITIES.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
        <label>{t('entityId')}<input value={entityId} onInput={(e) => setEntityId(e.currentTarget.value)} /></label>
        <button type="submit">{t('filter')}</button>
      </form>
      <ErrorBanner error={first.error ?? moreError} onDismiss={() => setMoreError(null)} />
      <div class="table-wrap">
        <table aria-label={t('title')}>
          <thead><tr><th>{t('when')}</th><th>{t('who')}</th><th>{t('action')}</th><th>{t('record')}</th><th>{t('changes')}</th></tr></thead>
          <tbody>
            {first.loading && <tr><td colSpan={5} class="muted">{t('loading')}</td></tr>}
            {!first.loading && entries.length === 0 && <tr><td colSpan={5} class="muted">{t('empty')}</td></tr>}
            {!first.loading && entries.map((e) => {
              const before = e.before ?? (e.action === 'create' || e.action === 'import' ? {} : null);
              const after = e.after ?? (e.action === 'delete' ? {} : null);
              const count = diffJson(before, after).filter((c) => !/(^|\.)updatedAt$/.test(c.path)).length;
              const link = versionsLink(e);
              return [
                <tr key={e.id} class="audit-entry" data-entry={e.id}>
                  <td class="nowrap">{formatDateTime(e.at)}</td>
                  <td>{e.username}</td>
                  <td><span class={`badge action ${e.action === 'delete' ? 'bad' : e.action === 'create' ? 'ok' : ''}`}>{t(`a_${e.action}`)}</span></td>
                  <td>{e.entity}{e.entityId ? <> <code>{e.entityId}</code></> : null}</td>
                  <td class="row-actions">
                    <button type="button" aria-expanded={open.has(e.id)} aria-label={`${open.has(e.id) ? t('hide') : t('show')} #${e.id}`} onClick={() => toggle(e.id)}>
                      {open.has(e.id) ? t('hide') : t('show')} <span class="muted">({t('changed', { n: count })})</span>
                    </button>
                    {link && (e.action === 'publish' || e.action === 'rollback') && <a href={link}>{t('openVersions')}</a>}
                  </td>
                </tr>,
                open.has(e.id) && (
                  <tr key={`${e.id}-diff`} class="audit-diff"><td colSpan={5}><DiffView before={before} after={after} label={t('diffOf', { id: e.id })} /></td></tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </div>
      {entries.length >= PAGE && <div><button type="button" onClick={() => void loadMore()}>{t('more')}</button></div>}
    </div>
  );
}
