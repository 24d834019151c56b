import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import type { TargetSpec } from '../../../../routing/target-spec';
import type { Issue } from '../shared/versioned-config-api';
import type { DirectoryRefs } from './directory-refs';
import { TargetEditor, describeTarget, useTargetT } from './target-editor';

const useT = translator({
  en: {
    title: 'Per-client overrides', help: 'An override sends one client’s calls to a fixed target whatever their type; it applies at once (it is part of the client record, not of the versioned config) and only while a rule with “has a client override” is there to use it.',
    client: 'Client', target: 'Override', add: 'Add an override for', choose: 'choose a client…', save: 'Save override', remove: 'Remove override', edit: 'Edit', none: 'No client has an override.',
    saved: 'Override of {name} saved.', removed: 'Override of {name} removed.', loading: 'Loading…', cancel: 'Cancel', noRule: 'No enabled rule in the working copy uses client overrides: they have no effect.',
  },
  ru: {
    title: 'Персональные настройки клиентов', help: 'Персональная настройка направляет звонки клиента на заданную цель независимо от типа; действует сразу (это часть карточки клиента, а не версионируемой конфигурации) и только при наличии правила с условием «есть персональная настройка».',
    client: 'Клиент', target: 'Настройка', add: 'Добавить настройку для', choose: 'выберите клиента…', save: 'Сохранить настройку', remove: 'Удалить настройку', edit: 'Изменить', none: 'Ни у одного клиента нет персональной настройки.',
    saved: 'Настройка клиента {name} сохранена.', removed: 'Настройка клиента {name} удалена.', loading: 'Загрузка…', cancel: 'Отмена', noRule: 'В рабочей копии нет включённого правила, использующего персональные настройки: они не действуют.',
  },
});

interface ClientRow {
  id: number;
  name: string;
  type: string;
  routingOverride: TargetSpec | null;
}

/** Clients whose calls skip the type rules: listed, edited and removed through the clients API. */
export function ClientOverrides(props: { refs: DirectoryRefs | null; ruleUsesOverrides: boolean }): preact.JSX.Element {
  const t = useT();
  const tt = useTargetT();
  const clients = useAsync(() => api.get<ClientRow[]>('/api/clients?limit=1000'), []);
  const [editing, setEditing] = useState<{ id: number; target: TargetSpec } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const withOverride = (clients.data ?? []).filter((c) => c.routingOverride !== null);
  const others = (clients.data ?? []).filter((c) => c.routingOverride === null);
  const issues: Issue[] = (error?.details ?? []).filter((d) => d.path).map((d) => ({ path: String(d.path), message: d.message }));

  const save = async (client: ClientRow, target: TargetSpec | null): Promise<void> => {
    setError(null);
    try {
      await api.patch(`/api/clients/${client.id}`, { routingOverride: target });
      setNotice(t(target ? 'saved' : 'removed', { name: client.name }));
      setEditing(null);
      clients.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <section class="card stack" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <p class="muted">{t('help')}</p>
      {!props.ruleUsesOverrides && <div class="banner warn">{t('noRule')}</div>}
      <ErrorBanner error={clients.error ?? error} onDismiss={() => setError(null)} />
      {notice && <p role="status" class="banner info">{notice}</p>}
      {clients.loading && !clients.data ? <p class="muted">{t('loading')}</p> : withOverride.length === 0 ? <p class="muted">{t('none')}</p> : (
        <table>
          <thead><tr><th>{t('client')}</th><th>{t('target')}</th><th /></tr></thead>
          <tbody>
            {withOverride.map((c) => (
              <tr key={c.id}>
                <td><a href={`#/directory/clients/${c.id}`}>{c.name}</a> <span class="badge">{c.type}</span></td>
                <td>{c.routingOverride ? describeTarget(tt, c.routingOverride, props.refs) : ''}</td>
                <td class="row-actions">
                  <button type="button" onClick={() => setEditing({ id: c.id, target: c.routingOverride as TargetSpec })}>{t('edit')}</button>
                  <button type="button" class="danger" onClick={() => void save(c, null)}>{t('remove')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label class="inline">{t('add')}
        <select value="" onChange={(e) => { const id = Number(e.currentTarget.value); if (id) setEditing({ id, target: { kind: 'client_manager' } }); }}>
          <option value="">{t('choose')}</option>
          {others.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      </label>
      {editing && (() => {
        const client = (clients.data ?? []).find((c) => c.id === editing.id);
        if (!client) return null;
        return (
          <div class="card stack">
            <h3>{client.name}</h3>
            <TargetEditor target={editing.target} path="routingOverride" issues={issues} refs={props.refs} onChange={(target) => setEditing({ ...editing, target })} />
            <div class="row">
              <button type="button" class="primary" onClick={() => void save(client, editing.target)}>{t('save')}</button>
              <button type="button" onClick={() => setEditing(null)}>{t('cancel')}</button>
            </div>
          </div>
        );
      })()}
    </section>
  );
}
