import { useState } from 'preact/hooks';
import { api, type SessionUser } from '../../../shared/api-client';
import { useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import type { FlowDocument } from '../../../../ivr/flow-document';
import { draftTestAddress } from '../../../../sip/draft-test-address';
import type { VersionedEditor } from '../shared/use-versioned-editor';

const useT = translator({
  en: {
    title: 'Calling the draft', close: 'Close', callAgain: 'Call again', callAs: 'Call as this caller number (optional)',
    calling: 'Your softphone is calling draft v{v} of “{flow}” in another tab.',
    blocked: 'The browser did not open the softphone tab: use “Call again”.',
    howItRuns: 'The call takes the hotline’s whole path on this draft — IVR, caller identification, routing, queues — and is recorded as an internal test call marked “draft”. Press keys on the softphone’s keypad. Without a caller number you call as yourself, i.e. as an unknown caller.',
    noStaff: 'Your account ({user}) is not linked to a staff member, so you have no softphone to call from. An admin links it (PATCH /api/users/{id} with the staffId of a person with a SIP login); sign in again afterwards. Meanwhile, test the draft with the simulator (Test tab).',
    invalid: 'The draft has problems (shown on the flow): fix them first — an invalid draft cannot be called.',
    noDraft: 'There is no draft to call: you are looking at the {status} version. Edit the flow (the edit is saved as a draft), or call the hotline to hear the published version.',
    status_published: 'published', status_archived: 'archived',
  },
  ru: {
    title: 'Звонок в черновик', close: 'Закрыть', callAgain: 'Позвонить ещё раз', callAs: 'Позвонить от номера абонента (необязательно)',
    calling: 'Ваш софтфон звонит в черновик v{v} сценария «{flow}» в другой вкладке.',
    blocked: 'Браузер не открыл вкладку софтфона: нажмите «Позвонить ещё раз».',
    howItRuns: 'Звонок проходит весь путь звонка на горячую линию по этому черновику — IVR, определение абонента, маршрутизация, очереди — и записывается как внутренний тестовый звонок с пометкой «черновик». Нажимайте цифры на клавиатуре софтфона. Без номера абонента вы звоните от себя, то есть как неизвестный абонент.',
    noStaff: 'Ваша учётная запись ({user}) не связана с сотрудником, поэтому у вас нет софтфона. Администратор связывает её (PATCH /api/users/{id} с staffId сотрудника с SIP-логином); затем войдите заново. Пока проверьте черновик симулятором (вкладка «Проверка»).',
    invalid: 'В черновике есть ошибки (они показаны в сценарии): сначала исправьте их — в неверный черновик позвонить нельзя.',
    noDraft: 'Звонить некуда: открыта {status} версия, а не черновик. Измените сценарий (изменение сохранится как черновик) или позвоните на горячую линию, чтобы услышать опубликованную версию.',
    status_published: 'опубликованная', status_archived: 'архивная',
  },
});

/** The window name of the admin's softphone: a second "call it" reuses the tab the first one opened. */
export const SOFTPHONE_WINDOW = 'switchboard-softphone';

/** The softphone page that dials `address` once it is registered (src/web/softphone: `#dial=`). */
export function softphoneDialUrl(address: string): string {
  return `/softphone/#dial=${encodeURIComponent(address)}`;
}

type CallItState =
  | { kind: 'closed' }
  | { kind: 'refused'; why: 'noStaff' | 'invalid' | 'noDraft' }
  | { kind: 'calling'; version: number; opened: boolean };

export interface CallIt {
  start: () => Promise<void>;
  busy: boolean;
  panel: preact.JSX.Element | null;
}

/**
 * "Call it" (issue 7): the admin's own softphone dials the draft. The
 * working copy is saved as a draft first when it has unsaved edits; an
 * invalid draft, no draft at all, or an account without a staff member (no
 * phone) is explained instead of dialled. The softphone opens in a tab of its
 * own at `#dial=ivr-draft-<flow>-v<version>`, straight from the click where
 * possible (no wait before window.open, which browsers may block later),
 * with a link to call again — optionally as a client's number — in the panel.
 */
export function useCallIt(flowName: string, editor: VersionedEditor<FlowDocument>): CallIt {
  const t = useT();
  const me = useAsync(() => api.get<SessionUser>('/api/auth/me'), []);
  const [state, setState] = useState<CallItState>({ kind: 'closed' });
  const [busy, setBusy] = useState(false);
  const [callerNumber, setCallerNumber] = useState('');

  const start = async (): Promise<void> => {
    // Unknown (still loading, or failed): the softphone says it itself if there is no staff member.
    if (me.data && me.data.staffId === null) return setState({ kind: 'refused', why: 'noStaff' });
    if (editor.checked && editor.issues.length > 0) return setState({ kind: 'refused', why: 'invalid' });
    let version: number;
    if (editor.base?.status === 'draft' && !editor.dirty) {
      version = editor.base.version;
    } else {
      if (!editor.dirty) return setState({ kind: 'refused', why: 'noDraft' });
      setBusy(true);
      try {
        // The server validates again on save; a refusal shows its problems on the flow and in the editor's banner.
        const saved = await editor.save('');
        if (!saved) return setState({ kind: 'refused', why: 'invalid' });
        version = saved.version;
      } finally {
        setBusy(false);
      }
    }
    const opened = window.open(softphoneDialUrl(draftTestAddress({ flow: flowName, version, callerNumber })), SOFTPHONE_WINDOW);
    setState({ kind: 'calling', version, opened: opened !== null });
  };

  const close = (): void => setState({ kind: 'closed' });
  let panel: preact.JSX.Element | null = null;
  if (state.kind === 'refused') {
    const text = state.why === 'noStaff'
      ? t('noStaff', { user: me.data?.username ?? '', id: me.data?.id ?? '' })
      : state.why === 'invalid' ? t('invalid')
        : t('noDraft', { status: t(editor.base?.status === 'archived' ? 'status_archived' : 'status_published') });
    panel = (
      <div class="banner warn" role="dialog" aria-label={t('title')}>
        <span class="grow" data-testid="call-it-reason">{text}</span>
        <button type="button" class="link" onClick={close}>{t('close')}</button>
      </div>
    );
  } else if (state.kind === 'calling') {
    const again = softphoneDialUrl(draftTestAddress({ flow: flowName, version: state.version, callerNumber }));
    panel = (
      <div class="banner info call-it" role="dialog" aria-label={t('title')}>
        <div class="grow stack">
          <strong>{t('calling', { v: state.version, flow: flowName })}</strong>
          {!state.opened && <span role="alert">{t('blocked')}</span>}
          <span>{t('howItRuns')}</span>
          <div class="row">
            <label class="inline">{t('callAs')}
              <input type="tel" value={callerNumber} placeholder="+7 495 100-00-02" autocomplete="off" onInput={(e) => setCallerNumber(e.currentTarget.value)} />
            </label>
            <a href={again} target={SOFTPHONE_WINDOW}><code>{draftTestAddress({ flow: flowName, version: state.version, callerNumber })}</code> — {t('callAgain')}</a>
          </div>
        </div>
        <button type="button" class="link" onClick={close}>{t('close')}</button>
      </div>
    );
  }
  return { start, busy, panel };
}
