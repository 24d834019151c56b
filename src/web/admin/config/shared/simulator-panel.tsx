import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDuration, translator } from '../../../shared/i18n';
import type { SimulationResult } from '../../../../api/schemas/config-schemas';
import type { FallbackStep, RouteTarget } from '../../../../routing/route-target';
import { TextField } from './form-controls';

/** What POST /api/ivr/simulate answers. */
export type SimulationResponse = SimulationResult;

const useT = translator({
  en: {
    title: 'Test call (simulator)', caller: 'Caller number', digits: 'Keys pressed', digitsHint: 'digits, * and #; t = silence until the timer runs out; ! before a key = during the prompt; h = hang up',
    at: 'Call time', atHint: 'empty = now', run: 'Run test call', running: 'Running…', result: 'Result', path: 'Path through the flow', prompts: 'Prompts heard',
    decision: 'Routing decision', reason: 'Reason', rule: 'Rule', announcement: 'Announcement first', target: 'Target', fallback: 'then', state: 'Outcome',
    s_routed: 'routed', s_hung_up: 'the flow hung up', s_caller_hung_up: 'caller hung up', s_awaiting_input: 'waiting for keys', callback: 'Callback requested',
    choice: 'Caller chose', knownClient: 'Known client: {name} ({type})', newCaller: 'New caller (no client record)', versions: 'IVR flow {flow} v{fv}, routing v{rv}',
    queue: 'queue {queue}, priority {priority}', person: '{name} ({role}), rings {s} s', department: 'department {name}', afterHours: 'after hours: {action}, prompt {prompt}',
    skills: 'skills', none: 'none', knownCallers: 'Known callers',
  },
  ru: {
    title: 'Тестовый звонок (симулятор)', caller: 'Номер звонящего', digits: 'Нажатые клавиши', digitsHint: 'цифры, * и #; t = тишина до таймаута; ! перед клавишей = во время сообщения; h = положить трубку',
    at: 'Время звонка', atHint: 'пусто = сейчас', run: 'Выполнить тестовый звонок', running: 'Выполняется…', result: 'Результат', path: 'Путь по сценарию', prompts: 'Прозвучавшие сообщения',
    decision: 'Решение маршрутизации', reason: 'Причина', rule: 'Правило', announcement: 'Сначала сообщение', target: 'Куда', fallback: 'затем', state: 'Итог',
    s_routed: 'направлен', s_hung_up: 'сценарий завершил звонок', s_caller_hung_up: 'звонящий положил трубку', s_awaiting_input: 'ожидает ввода', callback: 'Запрошен обратный звонок',
    choice: 'Выбор звонящего', knownClient: 'Известный клиент: {name} ({type})', newCaller: 'Новый звонящий (нет карточки)', versions: 'Сценарий {flow} v{fv}, маршрутизация v{rv}',
    queue: 'очередь {queue}, приоритет {priority}', person: '{name} ({role}), звонок {s} с', department: 'отдел {name}', afterHours: 'нерабочее время: {action}, сообщение {prompt}',
    skills: 'навыки', none: 'нет', knownCallers: 'Известные звонящие',
  },
});

type T = ReturnType<typeof useT>;

function describeStep(t: T, step: FallbackStep | RouteTarget): string {
  switch (step.kind) {
    case 'queue': {
      const skills = Object.entries(step.requiredSkills).map(([k, v]) => `${k} ≥ ${v}`).join(', ');
      return t('queue', { queue: step.queue, priority: step.priority }) + (skills ? ` (${t('skills')}: ${skills})` : '');
    }
    case 'person':
      return t('person', { name: step.name, role: step.role.replace(/_/g, ' '), s: step.ringTimeoutSeconds });
    case 'department':
      return t('department', { name: step.departmentName });
    case 'after_hours':
      return t('afterHours', { action: step.action, prompt: step.promptId });
  }
}

/** A local date-time input value for "now". */
function nowLocal(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/**
 * Runs POST /api/ivr/simulate for a given flow and routing version — the same
 * executor and routing decision a real call gets — and shows the path, the
 * prompts and where the call would go.
 */
export function SimulatorPanel(props: {
  flow: string;
  flowVersion?: number;
  routingVersion?: number;
  /** Saves the working copy first when it has unsaved changes; returns the versions to test, or null when refused. */
  prepare?: () => Promise<{ flowVersion?: number; routingVersion?: number } | null>;
  onResult?: (result: SimulationResponse) => void;
  onNodeClick?: (id: string) => void;
}): preact.JSX.Element {
  const t = useT();
  const [caller, setCaller] = useState('+7 495 100-00-01');
  const [digits, setDigits] = useState('');
  const [at, setAt] = useState(nowLocal());
  const [result, setResult] = useState<SimulationResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const known = useAsync(() => api.get<Array<{ id: number; name: string; phones: Array<{ number: string }> }>>('/api/clients?limit=50'), []);

  const run = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pinned = props.prepare ? await props.prepare() : {};
      if (pinned === null) return;
      const flowVersion = pinned.flowVersion ?? props.flowVersion;
      const routingVersion = pinned.routingVersion ?? props.routingVersion;
      const body = {
        callerNumber: caller, flow: props.flow, digits,
        ...(flowVersion ? { flowVersion } : {}), ...(routingVersion ? { routingVersion } : {}),
        ...(at ? { at: new Date(at).toISOString() } : {}),
      };
      const answer = await api.post<SimulationResponse>('/api/ivr/simulate', body);
      setResult(answer);
      props.onResult?.(answer);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const decision = result?.decision ?? null;
  return (
    <section class="card simulator" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <form class="stack" onSubmit={(e) => void run(e)}>
        <div class="grid-3">
          <TextField label={t('caller')} value={caller} onInput={setCaller} list="sim-known-callers" required />
          <TextField label={t('digits')} value={digits} onInput={setDigits} hint={t('digitsHint')} />
          <TextField label={t('at')} type="datetime-local" value={at} onInput={setAt} hint={t('atHint')} />
        </div>
        <datalist id="sim-known-callers">
          {(known.data ?? []).flatMap((c) => c.phones.map((p) => <option key={`${c.id}:${p.number}`} value={p.number}>{c.name}</option>))}
        </datalist>
        <div class="row"><button type="submit" class="primary" disabled={busy}>{busy ? t('running') : t('run')}</button></div>
      </form>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {result && (
        <div class="sim-result stack" aria-label={t('result')} aria-live="polite">
          <p class="muted">{t('versions', { flow: result.flow.name, fv: result.flow.version, rv: result.routing.version })} · {formatDuration(result.elapsedMs)}</p>
          <p>{result.caller.client ? t('knownClient', { name: result.caller.client.name, type: result.caller.client.type }) : t('newCaller')}</p>
          <div>
            <h3>{t('path')}</h3>
            <ol class="sim-path" aria-label={t('path')}>
              {result.path.map((id, i) => (
                <li key={`${i}:${id}`}>{props.onNodeClick ? <button type="button" class="link" onClick={() => props.onNodeClick?.(id)}>{id}</button> : id}</li>
              ))}
            </ol>
          </div>
          <dl class="facts">
            <dt>{t('state')}</dt><dd><span class="badge">{t(`s_${result.state}`)}</span>{result.callbackRequested && <> <span class="badge ok">{t('callback')}</span></>}</dd>
            {result.choice && <><dt>{t('choice')}</dt><dd>{result.choice.intent}{result.choice.topic ? ` / ${result.choice.topic}` : ''}</dd></>}
          </dl>
          <div>
            <h3>{t('prompts')}</h3>
            <ol class="sim-prompts">
              {result.prompts.map((p, i) => <li key={i}><span class="muted">{formatDuration(p.atMs)}</span> <code>{p.promptId}</code> <span class="badge lang">{p.language}</span> {p.text}</li>)}
            </ol>
          </div>
          {decision && (
            <div class="decision" aria-label={t('decision')}>
              <h3>{t('decision')}</h3>
              <dl class="facts">
                <dt>{t('target')}</dt><dd class="decision-target">{describeStep(t, decision.target)}</dd>
                {decision.target.kind === 'person' && decision.target.fallback.length > 0 && (
                  <><dt>{t('fallback')}</dt><dd><ol class="fallback">{decision.target.fallback.map((s, i) => <li key={i}>{describeStep(t, s)}</li>)}</ol></dd></>
                )}
                <dt>{t('reason')}</dt><dd class="decision-reason">{decision.reason}</dd>
                <dt>{t('rule')}</dt><dd><code>{decision.ruleId}</code></dd>
                {decision.announcement && <><dt>{t('announcement')}</dt><dd><code>{decision.announcement}</code></dd></>}
              </dl>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
