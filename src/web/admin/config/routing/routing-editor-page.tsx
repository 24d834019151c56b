import { useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { navigate } from '../../../shared/hash-route';
import { translator } from '../../../shared/i18n';
import type { RoutingConfig, RoutingRule } from '../../../../routing/routing-config-schema';
import type { AdminPageProps } from '../../pages';
import { NumberField } from '../shared/form-controls';
import { Tabs } from '../shared/form-controls';
import { JsonEditor } from '../shared/json-editor';
import { SimulatorPanel } from '../shared/simulator-panel';
import { useVersionedEditor } from '../shared/use-versioned-editor';
import { VersionedConfigApi, type Issue } from '../shared/versioned-config-api';
import { VersionsPanel } from '../shared/versions-panel';
import { WorkflowBar } from '../shared/workflow-bar';
import { ClientOverrides } from './client-overrides';
import { loadDirectoryRefs } from './directory-refs';
import { HoursEditor } from './hours-editor';
import { RuleCard } from './rule-editor';
import { TargetEditor } from './target-editor';

const useT = translator({
  en: {
    title: 'Routing editor', what: 'routing config', tabs: 'Routing sections', rules: 'Rules', general: 'Priorities and last resort', hours: 'Business hours', overrides: 'Client overrides',
    test: 'Test', versions: 'Versions', json: 'JSON', rulesHelp: 'Rules are tried from the top; the first enabled rule whose conditions all hold decides where the call goes.',
    addRule: 'Add rule', defaults: 'Defaults', ringTimeout: 'Ring a person for (s)', defaultPriority: 'Queue priority for other client types and new callers', priorities: 'Queue priority by client type (higher is served first)',
    clientType: 'Client type', priority: 'Priority', lastResort: 'Last resort (when no rule matches or everyone in the chain is absent)', loading: 'Loading…', otherProblems: 'Problems outside the rules',
    addType: 'Add client type', removeType: 'Remove priority of {type}', confirmRemove: 'Delete rule {id}?', jump: 'Jump to rule',
  },
  ru: {
    title: 'Редактор маршрутизации', what: 'конфигурацию маршрутизации', tabs: 'Разделы маршрутизации', rules: 'Правила', general: 'Приоритеты и последний вариант', hours: 'Рабочее время', overrides: 'Настройки клиентов',
    test: 'Проверка', versions: 'Версии', json: 'JSON', rulesHelp: 'Правила проверяются сверху вниз; первое включённое правило, все условия которого выполнены, решает, куда пойдёт звонок.',
    addRule: 'Добавить правило', defaults: 'По умолчанию', ringTimeout: 'Звонить сотруднику (с)', defaultPriority: 'Приоритет в очереди для прочих типов и новых звонящих', priorities: 'Приоритет в очереди по типу клиента (больше — раньше)',
    clientType: 'Тип клиента', priority: 'Приоритет', lastResort: 'Последний вариант (нет подходящего правила или вся цепочка недоступна)', loading: 'Загрузка…', otherProblems: 'Ошибки вне правил',
    addType: 'Добавить тип клиента', removeType: 'Убрать приоритет для {type}', confirmRemove: 'Удалить правило {id}?', jump: 'Перейти к правилу',
  },
});

type Tab = 'rules' | 'general' | 'hours' | 'overrides' | 'test' | 'versions' | 'json';
const TABS: readonly Tab[] = ['rules', 'general', 'hours', 'overrides', 'test', 'versions', 'json'];
const client = new VersionedConfigApi<RoutingConfig>('/api/routing-config');

/** Which tab a validator path belongs to, so each tab can show its count. */
function tabOfPath(path: string): Tab {
  if (path.startsWith('rules')) return 'rules';
  if (path.startsWith('businessHours')) return 'hours';
  if (path === '') return 'json';
  return 'general';
}

/** #/routing/<tab>/<rule id>: the single routing config and its versions. */
export function RoutingEditorPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const editor = useVersionedEditor<RoutingConfig>(client);
  const refs = useAsync(loadDirectoryRefs, []);
  const tab: Tab = TABS.includes(props.route.segments[1] as Tab) ? (props.route.segments[1] as Tab) : 'rules';
  const openRule = props.route.segments[2] ?? null;
  const go = (next: Tab, rule: string | null = null): void => navigate(`routing/${next}${rule ? `/${encodeURIComponent(rule)}` : ''}`);
  const [newType, setNewType] = useState('');
  const doc = editor.doc;
  const counts = useMemo(() => {
    const byTab = new Map<Tab, number>();
    for (const issue of editor.issues) byTab.set(tabOfPath(issue.path), (byTab.get(tabOfPath(issue.path)) ?? 0) + 1);
    return byTab;
  }, [editor.issues]);
  const tabs = TABS.map((key) => ({ key, label: `${t(key)}${counts.get(key) ? ` (${counts.get(key)})` : ''}` }));
  const issuesUnder = (prefix: string): Issue[] => editor.issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`));

  const setRules = (rules: RoutingRule[]): void => { if (doc) editor.edit({ ...doc, rules }); };
  const prepareTest = async (): Promise<{ routingVersion: number } | null> => {
    if (editor.base && !editor.dirty) return { routingVersion: editor.base.version };
    const saved = await editor.save('');
    return saved ? { routingVersion: saved.version } : null;
  };

  return (
    <div class="stack config-page routing-page">
      <div class="row page-head"><h1 class="grow">{t('title')}</h1></div>
      <ErrorBanner error={refs.error} />
      <WorkflowBar editor={editor} what={t('what')} />
      <Tabs label={t('tabs')} tabs={tabs} current={tab} onSelect={(k) => go(k)} />
      {!doc ? <p class="muted">{t('loading')}</p> : (
        <>
          {tab === 'rules' && (
            <section class="stack" aria-label={t('rules')}>
              <p class="muted">{t('rulesHelp')}</p>
              <div class="rule-list">
                {doc.rules.map((rule, index) => (
                  <RuleCard key={index} rule={rule} index={index} count={doc.rules.length} issues={issuesUnder(`rules[${index}]`)} refs={refs.data}
                    open={openRule === rule.id}
                    onToggle={() => go('rules', openRule === rule.id ? null : rule.id)}
                    onChange={(next) => { setRules(doc.rules.map((r, i) => (i === index ? next : r))); if (next.id !== rule.id && openRule === rule.id) go('rules', next.id); }}
                    onMove={(delta) => {
                      const rules = [...doc.rules];
                      const [moved] = rules.splice(index, 1);
                      if (moved) rules.splice(index + delta, 0, moved);
                      setRules(rules);
                    }}
                    onRemove={() => { if (window.confirm(t('confirmRemove', { id: rule.id }))) setRules(doc.rules.filter((_, i) => i !== index)); }}
                  />
                ))}
              </div>
              <div class="row">
                <button type="button" onClick={() => {
                  let n = doc.rules.length + 1;
                  while (doc.rules.some((r) => r.id === `rule_${n}`)) n++;
                  const id = `rule_${n}`;
                  // A new rule goes before a trailing catch-all, where it can still match.
                  const rules = [...doc.rules];
                  rules.splice(Math.max(0, rules.length - 1), 0, { id, when: { intents: ['order'] }, target: { kind: 'queue', queue: refs.data?.queues[0]?.name ?? 'operators' }, reason: '{intent} from {clientName}' });
                  setRules(rules);
                  go('rules', id);
                }}>{t('addRule')}</button>
              </div>
            </section>
          )}
          {tab === 'general' && (
            <div class="stack">
              <section class="card" aria-label={t('defaults')}>
                <h2>{t('defaults')}</h2>
                <div class="grid-2">
                  <NumberField label={t('ringTimeout')} min={5} max={120} value={doc.defaults.ringTimeoutSeconds} error={issuesUnder('defaults.ringTimeoutSeconds')[0]?.message}
                    onInput={(v) => editor.edit({ ...doc, defaults: { ...doc.defaults, ringTimeoutSeconds: v ?? 20 } })} />
                  <NumberField label={t('defaultPriority')} min={0} max={100} value={doc.defaults.priority} error={issuesUnder('defaults.priority')[0]?.message}
                    onInput={(v) => editor.edit({ ...doc, defaults: { ...doc.defaults, priority: v ?? 0 } })} />
                </div>
              </section>
              <section class="card" aria-label={t('priorities')}>
                <h2>{t('priorities')}</h2>
                <table class="compact">
                  <thead><tr><th>{t('clientType')}</th><th>{t('priority')}</th><th /></tr></thead>
                  <tbody>
                    {Object.entries(doc.priorityByClientType).map(([type, value]) => {
                      const error = issuesUnder(`priorityByClientType.${type}`)[0]?.message;
                      return (
                        <tr key={type}>
                          <td><code>{type}</code> <span class="muted">{refs.data?.clientTypes.find((c) => c.code === type)?.label}</span>{error && <small class="field-error" role="alert"> {error}</small>}</td>
                          <td><input type="number" min={0} max={100} aria-label={`${t('priority')} ${type}`} value={value}
                            onInput={(e) => editor.edit({ ...doc, priorityByClientType: { ...doc.priorityByClientType, [type]: Number(e.currentTarget.value) } })} /></td>
                          <td><button type="button" class="link" aria-label={t('removeType', { type })} onClick={() => {
                            const { [type]: _removed, ...rest } = doc.priorityByClientType;
                            editor.edit({ ...doc, priorityByClientType: rest });
                          }}>✕</button></td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <div class="row">
                  <select aria-label={t('addType')} value={newType} onChange={(e) => setNewType(e.currentTarget.value)}>
                    <option value="">{t('addType')}…</option>
                    {(refs.data?.clientTypes ?? []).filter((c) => !(c.code in doc.priorityByClientType)).map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
                  </select>
                  <button type="button" disabled={!newType} onClick={() => { editor.edit({ ...doc, priorityByClientType: { ...doc.priorityByClientType, [newType]: doc.defaults.priority } }); setNewType(''); }}>{t('addType')}</button>
                </div>
              </section>
              <section class="card" aria-label={t('lastResort')}>
                <h2>{t('lastResort')}</h2>
                <TargetEditor target={doc.lastResort} path="lastResort" issues={issuesUnder('lastResort')} refs={refs.data} allowFallback={false} onChange={(lastResort) => editor.edit({ ...doc, lastResort })} />
              </section>
            </div>
          )}
          {tab === 'hours' && <HoursEditor value={doc.businessHours} issues={issuesUnder('businessHours')} onChange={(businessHours) => editor.edit({ ...doc, businessHours })} />}
          {tab === 'overrides' && <ClientOverrides refs={refs.data} ruleUsesOverrides={doc.rules.some((r) => r.enabled !== false && r.when.hasOverride === true)} />}
          {tab === 'test' && <SimulatorPanel flow="main" prepare={prepareTest} />}
          {tab === 'versions' && (
            <VersionsPanel client={client} versions={editor.versions} working={editor.dirty ? doc : null} busy={editor.busy}
              onOpen={(v) => { void editor.load(v); go('rules'); }} onRollback={(v) => void editor.rollback(v)} />
          )}
          {tab === 'json' && <JsonEditor value={doc} issues={editor.issues} onApply={(value) => editor.edit(value as RoutingConfig)} />}
        </>
      )}
    </div>
  );
}
