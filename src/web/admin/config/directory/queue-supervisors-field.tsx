import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { CheckboxField } from '../shared/form-controls';
import type { User } from '../../../../api/schemas/auth-schemas';
import type { QueueSupervisors } from '../../../../api/schemas/call-monitoring-schemas';

const useT = translator({
  en: {
    legend: 'Supervisors (may monitor this queue\'s calls)', save: 'Assign supervisors', saved: 'Assigned.', noSupervisors: 'There are no supervisor accounts.',
    hint: 'A supervisor assigned to no queue follows the site policy (by default: every queue).',
  },
  ru: {
    legend: 'Супервизоры (могут прослушивать звонки очереди)', save: 'Назначить супервизоров', saved: 'Назначено.', noSupervisors: 'Учётных записей супервизоров нет.',
    hint: 'Супервизор без очередей действует по политике площадки (по умолчанию — все очереди).',
  },
});

/**
 * Which supervisors watch this queue (issue 18): their monitoring rights follow it. Saved on its own
 * (PUT /api/call-monitoring/queue-supervisors/:id), apart from the queue's form; admins only.
 */
export function QueueSupervisorsField(props: { queueId: number }): preact.JSX.Element | null {
  const t = useT();
  const isAdmin = api.user?.role === 'admin';
  const users = useAsync(() => (isAdmin ? api.get<User[]>('/api/users') : Promise.resolve([])), [isAdmin]);
  const current = useAsync(() => (isAdmin ? api.get<{ items: QueueSupervisors[] }>('/api/call-monitoring/queue-supervisors') : Promise.resolve({ items: [] })), [isAdmin]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [state, setState] = useState<{ busy: boolean; saved: boolean; error: ApiError | null }>({ busy: false, saved: false, error: null });
  useEffect(() => {
    const entry = current.data?.items.find((q) => q.queueId === props.queueId);
    setChosen(entry ? entry.supervisors.map((s) => s.userId) : []);
  }, [current.data, props.queueId]);
  if (!isAdmin) return null;
  const supervisors = (users.data ?? []).filter((u) => u.role === 'supervisor' && (u.active || chosen.includes(u.id)));
  const save = (): void => {
    setState({ busy: true, saved: false, error: null });
    api.put<QueueSupervisors>(`/api/call-monitoring/queue-supervisors/${props.queueId}`, { userIds: chosen }).then(
      (entry) => { setChosen(entry.supervisors.map((s) => s.userId)); setState({ busy: false, saved: true, error: null }); },
      (err: unknown) => setState({ busy: false, saved: false, error: asApiError(err) }),
    );
  };
  return (
    <fieldset aria-label={t('legend')}>
      <legend>{t('legend')}</legend>
      <ErrorBanner error={users.error ?? current.error ?? state.error} />
      <p class="muted small">{t('hint')}</p>
      {users.data && supervisors.length === 0 && <p class="muted">{t('noSupervisors')}</p>}
      <div class="chips">
        {supervisors.map((u) => (
          <CheckboxField key={u.id} label={u.username} checked={chosen.includes(u.id)} onChange={(on) => { setChosen(on ? [...chosen, u.id] : chosen.filter((id) => id !== u.id)); setState((s) => ({ ...s, saved: false })); }} />
        ))}
      </div>
      <div class="row">
        <button type="button" disabled={state.busy} onClick={save}>{t('save')}</button>
        {state.saved && <span role="status" class="muted">{t('saved')}</span>}
      </div>
    </fieldset>
  );
}
