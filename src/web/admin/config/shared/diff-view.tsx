import { compactJson, diffJson, type JsonChange } from './json-diff';
import { translator } from '../../../shared/i18n';

const useT = translator({
  en: {
    path: 'Where', before: 'Before', after: 'After', same: 'No differences.', added: 'added', removed: 'removed', changed: 'changed',
    count: '{n} change(s)', kind: 'Change',
  },
  ru: {
    path: 'Где', before: 'Было', after: 'Стало', same: 'Различий нет.', added: 'добавлено', removed: 'удалено', changed: 'изменено',
    count: 'Изменений: {n}', kind: 'Изменение',
  },
});

/** Bookkeeping fields every update touches; showing them would bury the real change. */
const NOISE = /(^|\.)(updatedAt|updated_at)$/;

/** Before/after of two JSON values as a table, added in green, removed in red. */
export function DiffView(props: { before: unknown; after: unknown; label?: string; changes?: JsonChange[] }): preact.JSX.Element {
  const t = useT();
  const changes = (props.changes ?? diffJson(props.before, props.after)).filter((c) => !NOISE.test(c.path));
  if (changes.length === 0) return <p class="muted">{t('same')}</p>;
  return (
    <div class="diff" aria-label={props.label}>
      <p class="muted">{t('count', { n: changes.length })}</p>
      <table class="diff-table">
        <thead><tr><th>{t('path')}</th><th>{t('kind')}</th><th>{t('before')}</th><th>{t('after')}</th></tr></thead>
        <tbody>
          {changes.map((c) => (
            <tr key={`${c.path}:${c.kind}`} class={`diff-${c.kind}`}>
              <td><code>{c.path || '—'}</code></td>
              <td><span class={`badge diff-badge-${c.kind}`}>{t(c.kind)}</span></td>
              <td class="diff-before">{c.kind !== 'added' && <code>{compactJson(c.before)}</code>}</td>
              <td class="diff-after">{c.kind !== 'removed' && <code>{compactJson(c.after)}</code>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
