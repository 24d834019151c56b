import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { navigate } from '../../../shared/hash-route';
import { translator } from '../../../shared/i18n';
import type { IvrFlowEntry } from '../../../../api/schemas/config-schemas';
import type { FlowDocument } from '../../../../ivr/flow-document';
import type { AdminPageProps } from '../../pages';
import { Tabs } from '../shared/form-controls';
import { JsonEditor } from '../shared/json-editor';
import { SimulatorPanel, type SimulationResponse } from '../shared/simulator-panel';
import { useVersionedEditor } from '../shared/use-versioned-editor';
import { VersionedConfigApi } from '../shared/versioned-config-api';
import { VersionsPanel } from '../shared/versions-panel';
import { WorkflowBar } from '../shared/workflow-bar';
import { useCallIt } from './call-it';
import { FlowOutline } from './flow-outline';
import { freshId, issuesByNode, newNode, removeNode, renameNode, replaceNode, NODE_TYPES, type NodeType } from './flow-edit';
import { NODE_IDS_LIST, NodeEditor, PROMPT_IDS_LIST, typeLabel, useNodeT } from './node-editor';
import { loadPrompts, type PromptRow } from './prompt-catalogue';
import { PromptLibrary } from './prompt-library';

const useT = translator({
  en: {
    title: 'IVR editor', flow: 'Flow', newFlow: 'New flow', newFlowName: 'Name of the new flow (a-z, 0-9, _)', tabFlow: 'Flow', tabTest: 'Test', tabVersions: 'Versions',
    tabPrompts: 'Prompts', tabJson: 'JSON', outline: 'Flow outline', unreachable: 'Not reachable from the start', addNode: 'Add node', addNodeType: 'Type of the new node',
    selectNode: 'Select a node in the outline to edit it.', flowProblems: 'Problems in the flow', languages: 'Languages (comma-separated)', defaultLanguage: 'Default language',
    start: 'Start node', callIt: 'Call it from my softphone', loading: 'Loading…', tabs: 'Editor sections',
    callItHint: 'Your softphone calls this draft (saved first if edited) through the whole hotline path', confirmRemove: 'Delete node {id}? Branches that lead to it will be reported by the validator.',
    settings: 'Flow settings', pathHighlighted: 'The last test call’s path is highlighted.',
  },
  ru: {
    title: 'Редактор IVR', flow: 'Сценарий', newFlow: 'Новый сценарий', newFlowName: 'Имя нового сценария (a-z, 0-9, _)', tabFlow: 'Сценарий', tabTest: 'Проверка', tabVersions: 'Версии',
    tabPrompts: 'Сообщения', tabJson: 'JSON', outline: 'Структура сценария', unreachable: 'Недостижимы от начала', addNode: 'Добавить узел', addNodeType: 'Тип нового узла',
    selectNode: 'Выберите узел в структуре, чтобы изменить его.', flowProblems: 'Ошибки сценария', languages: 'Языки (через запятую)', defaultLanguage: 'Язык по умолчанию',
    start: 'Начальный узел', callIt: 'Позвонить с моего софтфона', loading: 'Загрузка…', tabs: 'Разделы редактора',
    callItHint: 'Ваш софтфон позвонит в этот черновик (сначала сохранив изменения) по всему пути звонка на горячую линию', confirmRemove: 'Удалить узел {id}? Ветки, ведущие к нему, валидатор покажет как ошибки.',
    settings: 'Настройки сценария', pathHighlighted: 'Путь последнего тестового звонка подсвечен.',
  },
});

type Tab = 'flow' | 'test' | 'versions' | 'prompts' | 'json';
const TABS: readonly Tab[] = ['flow', 'test', 'versions', 'prompts', 'json'];

type FlowListEntry = IvrFlowEntry;

function blankFlow(name: string, prompt: string): FlowDocument {
  return {
    schemaVersion: 1, name, languages: ['ru', 'en'], defaultLanguage: 'ru', start: 'greeting',
    nodes: { greeting: { type: 'play', prompts: [prompt], next: 'route_operator', bargeIn: true }, route_operator: { type: 'route', intent: 'operator' } },
  };
}

/** #/ivr/<flow>/<tab>/<node>: the IVR flows, one editor per flow. */
export function IvrEditorPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const flows = useAsync(() => api.get<FlowListEntry[]>('/api/ivr/flows'), []);
  const [created, setCreated] = useState<string[]>([]);
  const segments = props.route.segments;
  const flowName = segments[1] ?? 'main';
  const tab: Tab = TABS.includes(segments[2] as Tab) ? (segments[2] as Tab) : 'flow';
  const selected = segments[3] ?? null;
  const go = (next: { flow?: string; tab?: Tab; node?: string | null }): void => {
    const node = next.node === undefined ? selected : next.node;
    navigate(`ivr/${encodeURIComponent(next.flow ?? flowName)}/${next.tab ?? tab}${node ? `/${encodeURIComponent(node)}` : ''}`);
  };
  const names = [...new Set([...(flows.data ?? []).map((f) => f.name), ...created, flowName])];

  const addFlow = (): void => {
    const name = window.prompt(t('newFlowName'))?.trim();
    if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) return;
    setCreated((c) => [...c, name]);
    go({ flow: name, tab: 'flow', node: null });
  };

  return (
    <div class="stack config-page ivr-page">
      <div class="row page-head">
        <h1 class="grow">{t('title')}</h1>
        <label class="inline">{t('flow')}
          <select value={flowName} onChange={(e) => go({ flow: e.currentTarget.value, node: null })}>
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="button" onClick={addFlow}>{t('newFlow')}</button>
      </div>
      <ErrorBanner error={flows.error} />
      <FlowEditor key={flowName} flowName={flowName} tab={tab} selected={selected} onNavigate={go} />
    </div>
  );
}

function FlowEditor(props: { flowName: string; tab: Tab; selected: string | null; onNavigate: (next: { tab?: Tab; node?: string | null }) => void }): preact.JSX.Element {
  const t = useT();
  const nodeT = useNodeT();
  const client = useMemo(() => new VersionedConfigApi<FlowDocument>(`/api/ivr/flows/${encodeURIComponent(props.flowName)}`), [props.flowName]);
  const [prompts, setPrompts] = useState<PromptRow[]>([]);
  const [promptError, setPromptError] = useState<ApiError | null>(null);
  const editor = useVersionedEditor<FlowDocument>(client, { document: blankFlow(props.flowName, 'greeting') });
  const [path, setPath] = useState<string[]>([]);
  const [newType, setNewType] = useState<NodeType>('play');
  const callIt = useCallIt(props.flowName, editor);

  const reloadPrompts = async (): Promise<void> => {
    try {
      setPrompts(await loadPrompts());
    } catch (err) {
      setPromptError(asApiError(err));
    }
  };
  useEffect(() => void reloadPrompts(), []);

  const flow = editor.doc;
  const { byNode, flow: flowIssues } = issuesByNode(editor.issues);
  const highlighted = useMemo(() => new Set(path), [path]);
  const onUploaded = (row: PromptRow): void => setPrompts((list) => [...list.filter((p) => !(p.id === row.id && p.language === row.language)), row]);

  const tabs = TABS.map((key) => ({ key, label: t(key === 'flow' ? 'tabFlow' : key === 'test' ? 'tabTest' : key === 'versions' ? 'tabVersions' : key === 'prompts' ? 'tabPrompts' : 'tabJson') }));

  const prepareTest = async (): Promise<{ flowVersion: number } | null> => {
    if (editor.base && !editor.dirty) return { flowVersion: editor.base.version };
    const saved = await editor.save('');
    return saved ? { flowVersion: saved.version } : null;
  };

  return (
    <div class="stack">
      <WorkflowBar editor={editor} what={`${props.flowName}`}
        extra={<button type="button" title={t('callItHint')} disabled={callIt.busy || editor.busy} onClick={() => void callIt.start()}>☎ {t('callIt')}</button>} />
      {callIt.panel}
      <ErrorBanner error={promptError} onDismiss={() => setPromptError(null)} />
      <Tabs label={t('tabs')} tabs={tabs} current={props.tab} onSelect={(tab) => props.onNavigate({ tab })} />
      <datalist id={NODE_IDS_LIST}>{flow && Object.keys(flow.nodes).map((id) => <option key={id} value={id} />)}</datalist>
      <datalist id={PROMPT_IDS_LIST}>{[...new Set(prompts.map((p) => p.id))].map((id) => <option key={id} value={id} />)}</datalist>
      {!flow ? <p class="muted">{t('loading')}</p> : (
        <>
          {props.tab === 'flow' && (
            <>
              {flowIssues.length > 0 && (
                <div class="banner error" role="alert" aria-label={t('flowProblems')}>
                  <ul>{flowIssues.map((i) => <li key={i.path + i.message}>{i.path && <code>{i.path}</code>} {i.message}</li>)}</ul>
                </div>
              )}
              <div class="editor-split">
                <section class="card outline-card" aria-label={t('outline')}>
                  <div class="row">
                    <h2 class="grow">{t('outline')}</h2>
                    <select aria-label={t('addNodeType')} value={newType} onChange={(e) => setNewType(e.currentTarget.value as NodeType)}>
                      {NODE_TYPES.map((type) => <option key={type} value={type}>{typeLabel(nodeT, type)}</option>)}
                    </select>
                    <button type="button" onClick={() => {
                      const id = freshId(flow, newType);
                      editor.edit(replaceNode(flow, id, newNode(newType, props.selected ?? flow.start, prompts[0]?.id ?? 'greeting')));
                      props.onNavigate({ node: id });
                    }}>{t('addNode')}</button>
                  </div>
                  {path.length > 0 && <p class="muted">{t('pathHighlighted')}</p>}
                  <FlowOutline flow={flow} selected={props.selected} issues={byNode} highlighted={highlighted} onSelect={(id) => props.onNavigate({ node: id })}
                    label={t('outline')} unreachableLabel={t('unreachable')} />
                </section>
                <div class="stack">
                  {props.selected && flow.nodes[props.selected] ? (
                    <NodeEditor
                      flow={flow} id={props.selected} issues={byNode.get(props.selected) ?? []} prompts={prompts}
                      onChange={(node) => editor.edit(replaceNode(flow, props.selected as string, node))}
                      onRename={(to) => { editor.edit(renameNode(flow, props.selected as string, to)); props.onNavigate({ node: to }); }}
                      onRemove={() => { if (window.confirm(t('confirmRemove', { id: props.selected ?? '' }))) { editor.edit(removeNode(flow, props.selected as string)); props.onNavigate({ node: null }); } }}
                      onMakeStart={() => editor.edit({ ...flow, start: props.selected as string })}
                      onPromptUploaded={onUploaded} onError={setPromptError}
                    />
                  ) : <p class="card muted">{t('selectNode')}</p>}
                  <FlowSettings flow={flow} onChange={editor.edit} />
                </div>
              </div>
            </>
          )}
          {props.tab === 'test' && (
            <SimulatorPanel flow={props.flowName} prepare={prepareTest}
              onResult={(r: SimulationResponse) => setPath(r.path)} onNodeClick={(id) => props.onNavigate({ tab: 'flow', node: id })} />
          )}
          {props.tab === 'versions' && (
            <VersionsPanel client={client} versions={editor.versions} working={editor.dirty ? flow : null} busy={editor.busy}
              onOpen={(v) => { void editor.load(v); props.onNavigate({ tab: 'flow', node: null }); }} onRollback={(v) => void editor.rollback(v)} />
          )}
          {props.tab === 'prompts' && <PromptLibrary prompts={prompts} languages={flow.languages} onUploaded={onUploaded} onError={setPromptError} />}
          {props.tab === 'json' && <JsonEditor value={flow} issues={editor.issues} onApply={(doc) => editor.edit(doc as FlowDocument)} />}
        </>
      )}
    </div>
  );
}

function FlowSettings(props: { flow: FlowDocument; onChange: (flow: FlowDocument) => void }): preact.JSX.Element {
  const t = useT();
  const { flow } = props;
  return (
    <section class="card" aria-label={t('settings')}>
      <h2>{t('settings')}</h2>
      <div class="grid-3">
        <label>{t('start')}<input list={NODE_IDS_LIST} value={flow.start} onInput={(e) => props.onChange({ ...flow, start: e.currentTarget.value.trim() })} /></label>
        <label>{t('languages')}<input value={flow.languages.join(', ')} onChange={(e) => props.onChange({ ...flow, languages: e.currentTarget.value.split(',').map((s) => s.trim()).filter(Boolean) })} /></label>
        <label>{t('defaultLanguage')}<input value={flow.defaultLanguage} onInput={(e) => props.onChange({ ...flow, defaultLanguage: e.currentTarget.value.trim() })} /></label>
      </div>
    </section>
  );
}
