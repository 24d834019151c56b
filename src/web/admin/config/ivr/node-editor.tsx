import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../../shared/api-client';
import { translator, type Translate } from '../../../shared/i18n';
import type { BranchCondition, BranchNode, FlowDocument, FlowNode, MenuNode } from '../../../../ivr/flow-document';
import { CALLER_INTENTS, ENQUIRY_TOPICS } from '../../../../routing/caller-choice';
import { CheckboxField, NumberField, SelectField, TextField } from '../shared/form-controls';
import type { Issue } from '../shared/versioned-config-api';
import { fieldOfPath, NODE_TYPES, newNode, type NodeType } from './flow-edit';
import { findPrompt, type PromptRow } from './prompt-catalogue';
import { PromptPlayer } from './prompt-player';
import { VariantsEditor } from './variants-editor';

export const NODE_IDS_LIST = 'ivr-node-ids';
export const PROMPT_IDS_LIST = 'ivr-prompt-ids';

const dictionary = {
  en: {
    node: 'Node {id}', nodeId: 'Node id', rename: 'Rename', type: 'Type', changeType: 'Change type', remove: 'Delete node', makeStart: 'Make it the start',
    isStart: 'Start of the flow', prompts: 'Prompts', prompt: 'Prompt {n}', addPrompt: 'Add prompt', removePrompt: 'Remove prompt {n}',
    next: 'Next node', bargeIn: 'Caller may press keys during the prompts', options: 'Menu branches', key: 'Key', goesTo: 'Goes to',
    addOption: 'Add branch', removeOption: 'Remove branch {key}', timeoutMs: 'Wait for a key (ms)', maxRetries: 'Retries allowed',
    onTimeout: 'On silence', onInvalid: 'On a wrong key', onMaxRetries: 'After too many failures', open: 'When open', closed: 'When closed',
    cases: 'Cases (first match wins)', caseN: 'Case {n}', addCase: 'Add case', removeCase: 'Remove case {n}', otherwise: 'Otherwise',
    known: 'Known client', hasManager: 'Has a manager', inDebt: 'In debt', any: 'any', yes: 'yes', no: 'no', clientTypes: 'Client types (comma-separated)',
    languages: 'Languages (comma-separated)', variable: 'Variable', equals: 'Equals', value: 'Value', minLength: 'Min digits', maxLength: 'Max digits',
    terminator: 'Ends input', none: 'none', intent: 'Caller wants', topic: 'Enquiry topic', acceptKey: 'Key that accepts', onAccepted: 'When accepted',
    onDeclined: 'When declined', problems: 'Problems on this node', hangupHelp: 'Ends the call.', renameHelp: 'Branches that lead here are renamed too.',
    t_play: 'Play', t_menu: 'Menu', t_collect: 'Collect digits', t_business_hours: 'Business hours', t_branch: 'Branch on caller', t_set: 'Set variable',
    t_route: 'Route the call', t_callback: 'Offer a callback', t_hangup: 'Hang up',
    i_order: 'place an order', i_enquiry: 'prices / assortment / delivery', i_other: 'other matter', i_operator: 'an operator', i_complaint: 'complaint', i_second_line: 'technical support (second line)',
    p_price: 'prices', p_assortment: 'assortment', p_delivery: 'delivery',
  },
  ru: {
    node: 'Узел {id}', nodeId: 'Идентификатор узла', rename: 'Переименовать', type: 'Тип', changeType: 'Сменить тип', remove: 'Удалить узел', makeStart: 'Сделать началом',
    isStart: 'Начало сценария', prompts: 'Сообщения', prompt: 'Сообщение {n}', addPrompt: 'Добавить сообщение', removePrompt: 'Убрать сообщение {n}',
    next: 'Следующий узел', bargeIn: 'Можно нажимать клавиши во время сообщений', options: 'Ветки меню', key: 'Клавиша', goesTo: 'Переход',
    addOption: 'Добавить ветку', removeOption: 'Убрать ветку {key}', timeoutMs: 'Ожидание клавиши (мс)', maxRetries: 'Допустимо повторов',
    onTimeout: 'При тишине', onInvalid: 'При неверной клавише', onMaxRetries: 'После исчерпания попыток', open: 'В рабочее время', closed: 'В нерабочее время',
    cases: 'Условия (срабатывает первое)', caseN: 'Условие {n}', addCase: 'Добавить условие', removeCase: 'Убрать условие {n}', otherwise: 'Иначе',
    known: 'Известный клиент', hasManager: 'Есть менеджер', inDebt: 'Есть долг', any: 'любой', yes: 'да', no: 'нет', clientTypes: 'Типы клиентов (через запятую)',
    languages: 'Языки (через запятую)', variable: 'Переменная', equals: 'Равна', value: 'Значение', minLength: 'Мин. цифр', maxLength: 'Макс. цифр',
    terminator: 'Завершает ввод', none: 'нет', intent: 'Что нужно звонящему', topic: 'Тема запроса', acceptKey: 'Клавиша согласия', onAccepted: 'При согласии',
    onDeclined: 'При отказе', problems: 'Ошибки в этом узле', hangupHelp: 'Завершает звонок.', renameHelp: 'Ветки, ведущие сюда, тоже переименуются.',
    t_play: 'Сообщение', t_menu: 'Меню', t_collect: 'Ввод цифр', t_business_hours: 'Рабочее время', t_branch: 'Ветвление по клиенту', t_set: 'Переменная',
    t_route: 'Маршрутизация', t_callback: 'Обратный звонок', t_hangup: 'Завершить',
    i_order: 'сделать заказ', i_enquiry: 'цены / ассортимент / доставка', i_other: 'другой вопрос', i_operator: 'оператор', i_complaint: 'жалоба', i_second_line: 'техподдержка (вторая линия)',
    p_price: 'цены', p_assortment: 'ассортимент', p_delivery: 'доставка',
  },
};
export const useNodeT = translator(dictionary);
export type NodeT = Translate<keyof typeof dictionary.en>;

export function typeLabel(t: NodeT, type: NodeType): string {
  return t(`t_${type}`);
}

interface NodeEditorProps {
  flow: FlowDocument;
  id: string;
  issues: Issue[];
  prompts: PromptRow[];
  onChange: (node: FlowNode) => void;
  onRename: (to: string) => void;
  onRemove: () => void;
  onMakeStart: () => void;
  onPromptUploaded: (row: PromptRow) => void;
  onError: (error: ApiError) => void;
}

/** The form for one node: its branches, prompts and timers, with the validator's messages beside them. */
export function NodeEditor(props: NodeEditorProps): preact.JSX.Element | null {
  const t = useNodeT();
  const node = props.flow.nodes[props.id];
  const [newId, setNewId] = useState(props.id);
  useEffect(() => setNewId(props.id), [props.id]);
  if (!node) return null;
  const issueAt = (field: string): string | undefined => {
    const found = props.issues.filter((i) => fieldOfPath(i.path) === field).map((i) => i.message);
    return found.length > 0 ? found.join('; ') : undefined;
  };
  const set = (patch: Record<string, unknown>): void => {
    const next = { ...node, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
    props.onChange(next as FlowNode);
  };
  const target = (field: string, label: string, value: string | undefined): preact.JSX.Element => (
    <TargetField label={label} value={value ?? ''} error={issueAt(field)} onChange={(v) => set({ [field]: v === '' ? undefined : v })} />
  );
  const firstNode = Object.keys(props.flow.nodes).find((n) => n !== props.id) ?? props.id;
  const firstPrompt = props.prompts[0]?.id ?? 'greeting';

  return (
    <section class="card node-editor" aria-label={t('node', { id: props.id })}>
      <div class="row node-editor-head">
        <h2 class="grow">{t('node', { id: props.id })} <span class={`badge node-type ${node.type}`}>{typeLabel(t, node.type)}</span></h2>
        {props.flow.start === props.id ? <span class="badge ok">{t('isStart')}</span> : <button type="button" onClick={props.onMakeStart}>{t('makeStart')}</button>}
        <button type="button" class="danger" onClick={props.onRemove}>{t('remove')}</button>
      </div>
      {props.issues.length > 0 && (
        <div class="banner error" role="alert" aria-label={t('problems')}>
          <ul>{props.issues.map((i) => <li key={i.path + i.message}><code>{fieldOfPath(i.path) || props.id}</code> {i.message}</li>)}</ul>
        </div>
      )}
      <div class="row">
        <TextField label={t('nodeId')} value={newId} onInput={setNewId} hint={t('renameHelp')} class="grow" />
        <button type="button" disabled={newId === props.id || !/^[A-Za-z][A-Za-z0-9_]*$/.test(newId) || newId in props.flow.nodes} onClick={() => props.onRename(newId)}>{t('rename')}</button>
        <SelectField label={t('changeType')} value={node.type} options={NODE_TYPES.map((type) => ({ value: type, label: typeLabel(t, type) }))}
          onChange={(type) => { if (type !== node.type) props.onChange(newNode(type, firstNode, firstPrompt)); }} />
      </div>

      {'prompts' in node && (
        <PromptsEditor node={node} flow={props.flow} prompts={props.prompts} issueAt={issueAt} onChange={(prompts) => set({ prompts })}
          onUploaded={props.onPromptUploaded} onError={props.onError} />
      )}

      {node.type === 'play' && <VariantsEditor node={node} flow={props.flow} prompts={props.prompts} promptIdsList={PROMPT_IDS_LIST} issueAt={issueAt} onChange={set} onUploaded={props.onPromptUploaded} onError={props.onError} />}

      {node.type === 'play' && (
        <div class="grid-2">
          {target('next', t('next'), node.next)}
          <CheckboxField label={t('bargeIn')} checked={node.bargeIn ?? false} onChange={(v) => set({ bargeIn: v })} />
        </div>
      )}

      {node.type === 'menu' && <MenuOptions node={node} issueAt={issueAt} onChange={(options) => set({ options })} />}

      {(node.type === 'menu' || node.type === 'collect') && (
        <div class="grid-3">
          <NumberField label={t('timeoutMs')} value={node.timeoutMs} min={500} max={60000} step={500} error={issueAt('timeoutMs')} onInput={(v) => set({ timeoutMs: v })} />
          <NumberField label={t('maxRetries')} value={node.maxRetries} min={0} max={9} error={issueAt('maxRetries')} onInput={(v) => set({ maxRetries: v })} />
          <CheckboxField label={t('bargeIn')} checked={node.bargeIn ?? node.type === 'menu'} onChange={(v) => set({ bargeIn: v })} />
          {target('onTimeout', t('onTimeout'), node.onTimeout)}
          {target('onInvalid', t('onInvalid'), node.onInvalid)}
          {target('onMaxRetries', t('onMaxRetries'), node.onMaxRetries)}
        </div>
      )}

      {node.type === 'collect' && (
        <div class="grid-3">
          <TextField label={t('variable')} value={node.variable} error={issueAt('variable')} onInput={(v) => set({ variable: v })} />
          <NumberField label={t('minLength')} value={node.minLength} min={1} max={32} error={issueAt('minLength')} onInput={(v) => set({ minLength: v ?? 1 })} />
          <NumberField label={t('maxLength')} value={node.maxLength} min={1} max={32} error={issueAt('maxLength')} onInput={(v) => set({ maxLength: v ?? 1 })} />
          <SelectField label={t('terminator')} value={node.terminator ?? ''} options={[{ value: '', label: t('none') }, { value: '#', label: '#' }, { value: '*', label: '*' }]}
            onChange={(v) => set({ terminator: v === '' ? undefined : v })} />
          {target('next', t('next'), node.next)}
        </div>
      )}

      {node.type === 'business_hours' && (
        <div class="grid-2">
          {target('open', t('open'), node.open)}
          {target('closed', t('closed'), node.closed)}
        </div>
      )}

      {node.type === 'branch' && <BranchCases node={node} issueAt={issueAt} onChange={(patch) => set(patch)} />}

      {node.type === 'set' && (
        <div class="grid-3">
          <TextField label={t('variable')} value={node.variable} error={issueAt('variable')} onInput={(v) => set({ variable: v })} />
          <TextField label={t('value')} value={node.value} error={issueAt('value')} onInput={(v) => set({ value: v })} />
          {target('next', t('next'), node.next)}
        </div>
      )}

      {node.type === 'route' && (
        <div class="grid-2">
          <SelectField label={t('intent')} value={node.intent} options={CALLER_INTENTS.map((i) => ({ value: i, label: t(`i_${i}`) }))}
            onChange={(intent) => set({ intent, topic: intent === 'enquiry' ? node.topic : undefined })} />
          {node.intent === 'enquiry' && (
            <SelectField label={t('topic')} value={node.topic ?? ''} options={[{ value: '', label: t('any') }, ...ENQUIRY_TOPICS.map((p) => ({ value: p, label: t(`p_${p}`) }))]}
              onChange={(topic) => set({ topic: topic === '' ? undefined : topic })} />
          )}
        </div>
      )}

      {node.type === 'callback' && (
        <div class="grid-3">
          <TextField label={t('acceptKey')} value={node.acceptKey} error={issueAt('acceptKey')} onInput={(v) => set({ acceptKey: v })} />
          <NumberField label={t('timeoutMs')} value={node.timeoutMs} min={500} max={60000} step={500} error={issueAt('timeoutMs')} onInput={(v) => set({ timeoutMs: v ?? 6000 })} />
          <CheckboxField label={t('bargeIn')} checked={node.bargeIn ?? false} onChange={(v) => set({ bargeIn: v })} />
          {target('onAccepted', t('onAccepted'), node.onAccepted)}
          {target('onDeclined', t('onDeclined'), node.onDeclined)}
        </div>
      )}

      {node.type === 'hangup' && <p class="muted">{t('hangupHelp')}</p>}
    </section>
  );
}

/** A reference to another node: free text with the node ids offered, so a typo is the validator's to catch and name. */
function TargetField(props: { label: string; value: string; error: string | undefined; onChange: (value: string) => void }): preact.JSX.Element {
  return <TextField label={props.label} value={props.value} error={props.error} list={NODE_IDS_LIST} onInput={(v) => props.onChange(v.trim())} />;
}

function MenuOptions(props: { node: MenuNode; issueAt: (field: string) => string | undefined; onChange: (options: Record<string, string>) => void }): preact.JSX.Element {
  const t = useNodeT();
  const entries = Object.entries(props.node.options);
  const write = (list: Array<[string, string]>): void => props.onChange(Object.fromEntries(list));
  const freeKey = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'].find((k) => !(k in props.node.options));
  return (
    <fieldset class="options">
      <legend>{t('options')}</legend>
      {props.issueAt('options') && <p class="field-error" role="alert">{props.issueAt('options')}</p>}
      <table class="compact">
        <thead><tr><th>{t('key')}</th><th>{t('goesTo')}</th><th /></tr></thead>
        <tbody>
          {entries.map(([key, to], index) => {
            const error = props.issueAt(`options.${key}`);
            return (
              <tr key={index} class={error ? 'has-error' : ''}>
                <td class="key-cell">
                  <input aria-label={`${t('key')} ${key}`} value={key} maxLength={2} size={2}
                    onChange={(e) => {
                      const next = e.currentTarget.value.trim();
                      // Two branches on one key cannot exist in the document: refuse the second instead of losing one.
                      if (next === '' || entries.some(([k], i) => k === next && i !== index)) e.currentTarget.value = key;
                      else write(entries.map(([k, v], i) => (i === index ? [next, v] : [k, v])));
                    }} />
                </td>
                <td>
                  <input aria-label={`${t('goesTo')} (${t('key')} ${key})`} list={NODE_IDS_LIST} value={to} aria-invalid={error ? 'true' : undefined}
                    onInput={(e) => write(entries.map(([k, v], i) => (i === index ? [k, e.currentTarget.value.trim()] : [k, v])))} />
                  {error && <small class="field-error" role="alert">{error}</small>}
                </td>
                <td><button type="button" class="link" aria-label={t('removeOption', { key })} onClick={() => write(entries.filter((_, i) => i !== index))}>✕</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {freeKey && <button type="button" onClick={() => write([...entries, [freeKey, entries[0]?.[1] ?? '']])}>{t('addOption')}</button>}
    </fieldset>
  );
}

function PromptsEditor(props: {
  node: FlowNode & { prompts: string[] };
  flow: FlowDocument;
  prompts: PromptRow[];
  issueAt: (field: string) => string | undefined;
  onChange: (prompts: string[]) => void;
  onUploaded: (row: PromptRow) => void;
  onError: (error: ApiError) => void;
}): preact.JSX.Element {
  const t = useNodeT();
  const list = props.node.prompts;
  return (
    <fieldset class="prompts">
      <legend>{t('prompts')}</legend>
      {list.map((id, index) => (
        <div class="prompt-entry" key={index}>
          <div class="row">
            <TextField label={t('prompt', { n: index + 1 })} value={id} list={PROMPT_IDS_LIST} error={props.issueAt(`prompts[${index}]`)} class="grow"
              onInput={(v) => props.onChange(list.map((p, i) => (i === index ? v.trim() : p)))} />
            {list.length > 1 && <button type="button" class="link" aria-label={t('removePrompt', { n: index + 1 })} onClick={() => props.onChange(list.filter((_, i) => i !== index))}>✕</button>}
          </div>
          {props.flow.languages.map((language) => (
            <PromptPlayer key={language} id={id} language={language} prompt={findPrompt(props.prompts, id, language)} onUploaded={props.onUploaded} onError={props.onError} />
          ))}
        </div>
      ))}
      <button type="button" onClick={() => props.onChange([...list, list[list.length - 1] ?? 'greeting'])}>{t('addPrompt')}</button>
    </fieldset>
  );
}

type TriState = '' | 'yes' | 'no';
const tri = (value: boolean | undefined): TriState => (value === undefined ? '' : value ? 'yes' : 'no');
const fromTri = (value: TriState): boolean | undefined => (value === '' ? undefined : value === 'yes');
const list = (text: string): string[] | undefined => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
};

function BranchCases(props: { node: BranchNode; issueAt: (field: string) => string | undefined; onChange: (patch: Partial<BranchNode>) => void }): preact.JSX.Element {
  const t = useNodeT();
  const { cases } = props.node;
  const setCase = (index: number, when: BranchCondition, next: string): void => {
    const clean = Object.fromEntries(Object.entries(when).filter(([, v]) => v !== undefined)) as BranchCondition;
    props.onChange({ cases: cases.map((c, i) => (i === index ? { when: clean, next } : c)) });
  };
  const triOptions = [{ value: '' as TriState, label: t('any') }, { value: 'yes' as TriState, label: t('yes') }, { value: 'no' as TriState, label: t('no') }];
  return (
    <fieldset class="cases">
      <legend>{t('cases')}</legend>
      {cases.map((c, index) => (
        <div class="case card" key={index}>
          <div class="row"><strong class="grow">{t('caseN', { n: index + 1 })}</strong>
            {cases.length > 1 && <button type="button" class="link" aria-label={t('removeCase', { n: index + 1 })} onClick={() => props.onChange({ cases: cases.filter((_, i) => i !== index) })}>✕</button>}
          </div>
          <div class="grid-3">
            <SelectField label={t('known')} value={tri(c.when.known)} options={triOptions} onChange={(v) => setCase(index, { ...c.when, known: fromTri(v) }, c.next)} />
            <SelectField label={t('hasManager')} value={tri(c.when.hasManager)} options={triOptions} onChange={(v) => setCase(index, { ...c.when, hasManager: fromTri(v) }, c.next)} />
            <SelectField label={t('inDebt')} value={tri(c.when.inDebt)} options={triOptions} onChange={(v) => setCase(index, { ...c.when, inDebt: fromTri(v) }, c.next)} />
            <TextField label={t('clientTypes')} value={(c.when.clientTypes ?? []).join(', ')} error={props.issueAt(`cases[${index}].when.clientTypes`)}
              onInput={(v) => setCase(index, { ...c.when, clientTypes: list(v) }, c.next)} />
            <TextField label={t('languages')} value={(c.when.languages ?? []).join(', ')} onInput={(v) => setCase(index, { ...c.when, languages: list(v) }, c.next)} />
            <TextField label={t('variable')} value={c.when.variable?.name ?? ''}
              onInput={(v) => setCase(index, { ...c.when, variable: v ? { name: v, equals: c.when.variable?.equals ?? '' } : undefined }, c.next)} />
            {c.when.variable && <TextField label={t('equals')} value={c.when.variable.equals} onInput={(v) => setCase(index, { ...c.when, variable: { name: c.when.variable?.name ?? '', equals: v } }, c.next)} />}
            <TargetField label={t('next')} value={c.next} error={props.issueAt(`cases[${index}].next`)} onChange={(v) => setCase(index, c.when, v)} />
          </div>
        </div>
      ))}
      <button type="button" onClick={() => props.onChange({ cases: [...cases, { when: { known: true }, next: props.node.otherwise }] })}>{t('addCase')}</button>
      <TargetField label={t('otherwise')} value={props.node.otherwise} error={props.issueAt('otherwise')} onChange={(v) => props.onChange({ otherwise: v })} />
    </fieldset>
  );
}
