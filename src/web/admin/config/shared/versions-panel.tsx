import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../../shared/components';
import { asApiError } from '../../../shared/hooks';
import type { ApiError } from '../../../shared/api-client';
import { formatDateTime, translator } from '../../../shared/i18n';
import { DiffView } from './diff-view';
import type { VersionSummary, VersionedConfigApi } from './versioned-config-api';

const useT = translator({
  en: {
    versions: 'Versions', version: 'Version', status: 'Status', comment: 'Comment', created: 'Created', published: 'Published',
    open: 'Open', rollback: 'Roll back to this', compare: 'Compare', compareA: 'Older version', compareB: 'Newer version',
    showDiff: 'Show differences', diffTitle: 'Version {a} → version {b}', draft: 'draft', archived: 'archived', publishedBadge: 'published',
    confirmRollback: 'Publish the document of version {v} again, as a new version? New calls will use it at once.', loading: 'Loading…',
    actions: 'Actions', by: 'by {who}', none: 'No versions yet.', working: 'Working copy (unsaved)',
  },
  ru: {
    versions: 'Версии', version: 'Версия', status: 'Статус', comment: 'Комментарий', created: 'Создана', published: 'Опубликована',
    open: 'Открыть', rollback: 'Откатить к этой', compare: 'Сравнить', compareA: 'Старая версия', compareB: 'Новая версия',
    showDiff: 'Показать различия', diffTitle: 'Версия {a} → версия {b}', draft: 'черновик', archived: 'в архиве', publishedBadge: 'опубликована',
    confirmRollback: 'Опубликовать документ версии {v} снова, как новую версию? Новые звонки сразу пойдут по ней.', loading: 'Загрузка…',
    actions: 'Действия', by: '{who}', none: 'Версий пока нет.', working: 'Рабочая копия (не сохранена)',
  },
});

export const WORKING_COPY = 0;

/**
 * The history of a versioned document: open any version, roll back to one,
 * and compare two (or a version with the unsaved working copy) as a diff.
 */
export function VersionsPanel<T>(props: {
  client: VersionedConfigApi<T>;
  versions: VersionSummary[];
  working: T | null;
  busy: boolean;
  onOpen: (version: number) => void;
  onRollback: (version: number) => void;
}): preact.JSX.Element {
  const t = useT();
  const newest = props.versions[0]?.version ?? WORKING_COPY;
  const published = props.versions.find((v) => v.status === 'published')?.version;
  const [a, setA] = useState<number>(published ?? props.versions[1]?.version ?? newest);
  const [b, setB] = useState<number>(props.working ? WORKING_COPY : newest);
  const [diff, setDiff] = useState<{ a: number; b: number; before: unknown; after: unknown } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);

  const documentOf = async (version: number): Promise<unknown> => (version === WORKING_COPY ? props.working : (await props.client.version(version)).document);
  const compare = async (): Promise<void> => {
    setLoading(true);
    setError(null);
    try {
      const [before, after] = await Promise.all([documentOf(a), documentOf(b)]);
      setDiff({ a, b, before, after });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(false);
    }
  };
  const label = (v: number): string => (v === WORKING_COPY ? t('working') : `v${v}`);
  const choices = [...(props.working ? [WORKING_COPY] : []), ...props.versions.map((v) => v.version)];

  return (
    <div class="stack">
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <section class="card" aria-label={t('compare')}>
        <h2>{t('compare')}</h2>
        <div class="row">
          <label>{t('compareA')}
            <select value={a} onChange={(e) => setA(Number(e.currentTarget.value))}>{choices.map((v) => <option key={v} value={v}>{label(v)}</option>)}</select>
          </label>
          <label>{t('compareB')}
            <select value={b} onChange={(e) => setB(Number(e.currentTarget.value))}>{choices.map((v) => <option key={v} value={v}>{label(v)}</option>)}</select>
          </label>
          <button type="button" class="primary" disabled={loading} onClick={() => void compare()}>{loading ? t('loading') : t('showDiff')}</button>
        </div>
        {diff && (
          <div class="stack">
            <h3>{t('diffTitle', { a: label(diff.a), b: label(diff.b) })}</h3>
            <DiffView before={diff.before} after={diff.after} label={t('diffTitle', { a: label(diff.a), b: label(diff.b) })} />
          </div>
        )}
      </section>
      <section class="card" aria-label={t('versions')}>
        <h2>{t('versions')}</h2>
        {props.versions.length === 0 ? <p class="muted">{t('none')}</p> : (
          <table>
            <thead><tr><th class="num">{t('version')}</th><th>{t('status')}</th><th>{t('comment')}</th><th>{t('created')}</th><th>{t('published')}</th><th>{t('actions')}</th></tr></thead>
            <tbody>
              {props.versions.map((v) => (
                <tr key={v.version}>
                  <td class="num">v{v.version}</td>
                  <td><span class={`badge status-${v.status}`}>{v.status === 'draft' ? t('draft') : v.status === 'published' ? t('publishedBadge') : t('archived')}</span></td>
                  <td>{v.comment || <span class="muted">—</span>}</td>
                  <td>{formatDateTime(v.createdAt)} <span class="muted">{t('by', { who: v.createdBy })}</span></td>
                  <td>{v.publishedAt ? <>{formatDateTime(v.publishedAt)} <span class="muted">{t('by', { who: v.publishedBy ?? '' })}</span></> : '—'}</td>
                  <td class="row-actions">
                    <button type="button" onClick={() => props.onOpen(v.version)} aria-label={`${t('open')} v${v.version}`}>{t('open')}</button>
                    {v.status === 'archived' && (
                      <button type="button" disabled={props.busy} aria-label={`${t('rollback')} v${v.version}`}
                        onClick={() => { if (window.confirm(t('confirmRollback', { v: v.version }))) props.onRollback(v.version); }}>
                        {t('rollback')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
