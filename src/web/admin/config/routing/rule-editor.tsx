import { useId, useState } from 'preact/hooks';
import { translator, type Translate } from '../../../shared/i18n';
import type { RoutingRule, RuleCondition } from '../../../../routing/routing-config-schema';
import { CALLER_INTENTS, ENQUIRY_TOPICS } from '../../../../routing/caller-choice';
import { CheckboxField, SelectField, TextField } from '../shared/form-controls';
import type { Issue } from '../shared/versioned-config-api';
import type { DirectoryRefs } from './directory-refs';
import { TargetEditor, describeTarget, useTargetT } from './target-editor';

const dictionary = {
  en: {
    rule: 'Rule {n}: {id}', id: 'Rule id', enabled: 'Enabled', reason: 'Reason stored with the call', announcement: 'Announcement first', none: 'none', when: 'When (all must hold)', target: 'Send to',
    businessHours: 'Business hours', known: 'Known client', hasManager: 'Has a manager', hasOverride: 'Has a client override', inDebt: 'In debt (overdue or over limit)', any: 'any',
    yes: 'yes', no: 'no', open: 'open', closed: 'closed', clientTypes: 'Client types', intents: 'Caller wants', topics: 'Enquiry topics', regions: 'Regions (comma-separated)',
    languages: 'Languages (comma-separated)', clientIds: 'Client ids (comma-separated)', dialled: 'Dialled numbers (comma-separated)', every: 'every call', edit: 'Edit', close: 'Close',
    moveUp: 'Move rule {id} up', moveDown: 'Move rule {id} down', remove: 'Delete rule {id}', off: 'off', problems: '{n} problem(s)',
    i_order: 'order', i_enquiry: 'enquiry', i_other: 'other matter', i_operator: 'operator', i_complaint: 'complaint', i_second_line: 'second line',
  },
  ru: {
    rule: 'Правило {n}: {id}', id: 'Идентификатор правила', enabled: 'Включено', reason: 'Причина, сохраняемая со звонком', announcement: 'Сначала сообщение', none: 'нет', when: 'Когда (всё должно выполняться)', target: 'Куда направить',
    businessHours: 'Рабочее время', known: 'Известный клиент', hasManager: 'Есть менеджер', hasOverride: 'Есть персональная настройка', inDebt: 'Есть долг (просрочка или сверх лимита)', any: 'любое',
    yes: 'да', no: 'нет', open: 'рабочее', closed: 'нерабочее', clientTypes: 'Типы клиентов', intents: 'Цель звонка', topics: 'Темы запроса', regions: 'Регионы (через запятую)',
    languages: 'Языки (через запятую)', clientIds: 'Номера клиентов (через запятую)', dialled: 'Набранные номера (через запятую)', every: 'любой звонок', edit: 'Изменить', close: 'Свернуть',
    moveUp: 'Поднять правило {id}', moveDown: 'Опустить правило {id}', remove: 'Удалить правило {id}', off: 'выкл.', problems: 'ошибок: {n}',
    i_order: 'заказ', i_enquiry: 'запрос', i_other: 'другой вопрос', i_operator: 'оператор', i_complaint: 'жалоба', i_second_line: 'вторая линия',
  },
};
const useT = translator(dictionary);
type RT = Translate<keyof typeof dictionary.en>;

type Tri = '' | 'yes' | 'no';
const tri = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'yes' : 'no');
const fromTri = (v: Tri): boolean | undefined => (v === '' ? undefined : v === 'yes');
const csv = (text: string): string[] | undefined => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
};

/** "closed hours, key clients, order" — a rule's condition in a few words. */
export function describeCondition(t: RT, when: RuleCondition): string {
  const parts: string[] = [];
  if (when.businessHours) parts.push(`${t('businessHours')}: ${t(when.businessHours)}`);
  if (when.known !== undefined) parts.push(`${t('known')}: ${t(when.known ? 'yes' : 'no')}`);
  if (when.hasManager !== undefined) parts.push(`${t('hasManager')}: ${t(when.hasManager ? 'yes' : 'no')}`);
  if (when.hasOverride !== undefined) parts.push(`${t('hasOverride')}: ${t(when.hasOverride ? 'yes' : 'no')}`);
  if (when.inDebt !== undefined) parts.push(`${t('inDebt')}: ${t(when.inDebt ? 'yes' : 'no')}`);
  if (when.clientTypes) parts.push(when.clientTypes.join('/'));
  if (when.intents) parts.push(when.intents.map((i) => t(`i_${i}`)).join('/'));
  if (when.topics) parts.push(when.topics.join('/'));
  if (when.regions) parts.push(when.regions.join('/'));
  if (when.languages) parts.push(when.languages.join('/'));
  if (when.clientIds) parts.push(`#${when.clientIds.join(', #')}`);
  if (when.dialledNumbers) parts.push(when.dialledNumbers.join(', '));
  return parts.length > 0 ? parts.join(' · ') : t('every');
}

function Checklist<V extends string>(props: { legend: string; all: ReadonlyArray<{ value: V; label: string }>; value: readonly V[] | undefined; onChange: (value: V[] | undefined) => void }): preact.JSX.Element {
  const chosen = new Set(props.value ?? []);
  const id = useId();
  return (
    <div class="cfg-checklist" role="group" aria-labelledby={id}>
      <div class="cfg-checklist-title" id={id}>{props.legend}</div>
      <div class="chips">
        {props.all.map((o) => (
          <CheckboxField key={o.value} label={o.label} checked={chosen.has(o.value)} onChange={(on) => {
            const next = props.all.map((a) => a.value).filter((v) => (v === o.value ? on : chosen.has(v)));
            props.onChange(next.length > 0 ? next : undefined);
          }} />
        ))}
      </div>
    </div>
  );
}

/** One rule as a collapsible card: a one-line summary, and the full condition and target when opened. */
export function RuleCard(props: {
  rule: RoutingRule;
  index: number;
  count: number;
  issues: Issue[];
  refs: DirectoryRefs | null;
  open: boolean;
  onToggle: () => void;
  onChange: (rule: RoutingRule) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}): preact.JSX.Element {
  const t = useT();
  const tt = useTargetT();
  const { rule, index } = props;
  const at = `rules[${index}]`;
  const [idText, setIdText] = useState(rule.id);
  const issueAt = (field: string): string | undefined => {
    const found = props.issues.filter((i) => i.path === `${at}.${field}` || i.path.startsWith(`${at}.${field}[`)).map((i) => i.message);
    return found.length > 0 ? found.join('; ') : undefined;
  };
  const setWhen = (patch: Partial<RuleCondition>): void => {
    const when = { ...rule.when, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(when)) if (v === undefined) delete when[k];
    props.onChange({ ...rule, when: when });
  };
  const triOptions = [{ value: '' as Tri, label: t('any') }, { value: 'yes' as Tri, label: t('yes') }, { value: 'no' as Tri, label: t('no') }];
  const ruleIssues = props.issues.filter((i) => i.path === at || i.path === `${at}.id`);
  const classes = ['rule-card', props.issues.length > 0 ? 'invalid' : '', rule.enabled === false ? 'disabled' : ''].filter(Boolean).join(' ');
  const title = t('rule', { n: index + 1, id: rule.id });

  return (
    <article class={classes} aria-label={title} data-rule={rule.id}>
      <header>
        <span class="rule-index">{index + 1}</span>
        <code>{rule.id}</code>
        {rule.enabled === false && <span class="badge">{t('off')}</span>}
        <span class="rule-summary"><span class="muted">{describeCondition(t, rule.when)}</span> → <strong>{describeTarget(tt, rule.target, props.refs)}</strong></span>
        {props.issues.length > 0 && <span class="badge bad">{t('problems', { n: props.issues.length })}</span>}
        <button type="button" aria-label={t('moveUp', { id: rule.id })} disabled={index === 0} onClick={() => props.onMove(-1)}>↑</button>
        <button type="button" aria-label={t('moveDown', { id: rule.id })} disabled={index === props.count - 1} onClick={() => props.onMove(1)}>↓</button>
        <button type="button" aria-expanded={props.open} aria-label={`${props.open ? t('close') : t('edit')} ${rule.id}`} onClick={props.onToggle}>{props.open ? t('close') : t('edit')}</button>
      </header>
      {props.issues.length > 0 && (
        <ul class="banner error rule-issues" role="alert">{props.issues.map((i) => <li key={i.path + i.message}><code>{i.path.slice(at.length).replace(/^\./, '') || rule.id}</code> {i.message}</li>)}</ul>
      )}
      {props.open && (
        <div class="rule-body stack">
          <div class="grid-4">
            <TextField label={t('id')} value={idText} error={ruleIssues.map((i) => i.message).join('; ') || undefined}
              onInput={(v) => { setIdText(v); props.onChange({ ...rule, id: v.trim() }); }} />
            <CheckboxField label={t('enabled')} checked={rule.enabled !== false} onChange={(on) => { const { enabled: _e, ...rest } = rule; props.onChange(on ? rest : { ...rest, enabled: false }); }} />
            <SelectField label={t('announcement')} value={rule.announcement ?? ''} error={issueAt('announcement')}
              options={[{ value: '', label: t('none') }, ...(props.refs?.promptIds ?? []).map((p) => ({ value: p, label: p }))]}
              onChange={(v) => { const { announcement: _a, ...rest } = rule; props.onChange(v ? { ...rest, announcement: v } : rest); }} />
            <button type="button" class="danger" onClick={props.onRemove}>{t('remove', { id: rule.id })}</button>
          </div>
          <TextField label={t('reason')} value={rule.reason} error={issueAt('reason')} onInput={(reason) => props.onChange({ ...rule, reason })} />
          <fieldset>
            <legend>{t('when')}</legend>
            <div class="grid-4">
              <SelectField label={t('businessHours')} value={(rule.when.businessHours ?? '')}
                options={[{ value: '' as const, label: t('any') }, { value: 'open' as const, label: t('open') }, { value: 'closed' as const, label: t('closed') }]}
                onChange={(v) => setWhen({ businessHours: v === '' ? undefined : v })} />
              <SelectField label={t('known')} value={tri(rule.when.known)} options={triOptions} onChange={(v) => setWhen({ known: fromTri(v) })} />
              <SelectField label={t('hasManager')} value={tri(rule.when.hasManager)} options={triOptions} onChange={(v) => setWhen({ hasManager: fromTri(v) })} />
              <SelectField label={t('inDebt')} value={tri(rule.when.inDebt)} options={triOptions} onChange={(v) => setWhen({ inDebt: fromTri(v) })} />
              <SelectField label={t('hasOverride')} value={tri(rule.when.hasOverride)} options={triOptions} onChange={(v) => setWhen({ hasOverride: fromTri(v) })} />
            </div>
            <Checklist legend={t('clientTypes')} all={(props.refs?.clientTypes ?? []).map((c) => ({ value: c.code, label: c.label }))} value={rule.when.clientTypes} onChange={(v) => setWhen({ clientTypes: v })} />
            {issueAt('when.clientTypes') && <p class="field-error" role="alert">{issueAt('when.clientTypes')}</p>}
            <Checklist legend={t('intents')} all={CALLER_INTENTS.map((i) => ({ value: i, label: t(`i_${i}`) }))} value={rule.when.intents} onChange={(v) => setWhen({ intents: v })} />
            <Checklist legend={t('topics')} all={ENQUIRY_TOPICS.map((p) => ({ value: p, label: p }))} value={rule.when.topics} onChange={(v) => setWhen({ topics: v })} />
            <div class="grid-4">
              <TextField label={t('regions')} value={(rule.when.regions ?? []).join(', ')} onInput={(v) => setWhen({ regions: csv(v) })} />
              <TextField label={t('languages')} value={(rule.when.languages ?? []).join(', ')} onInput={(v) => setWhen({ languages: csv(v) })} />
              <TextField label={t('clientIds')} value={(rule.when.clientIds ?? []).join(', ')} error={issueAt('when.clientIds')}
                onInput={(v) => setWhen({ clientIds: csv(v)?.map(Number).filter((n) => Number.isInteger(n) && n > 0) })} />
              <TextField label={t('dialled')} value={(rule.when.dialledNumbers ?? []).join(', ')} onInput={(v) => setWhen({ dialledNumbers: csv(v) })} />
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('target')}</legend>
            <TargetEditor target={rule.target} path={`${at}.target`} issues={props.issues} refs={props.refs} onChange={(target) => props.onChange({ ...rule, target })} />
          </fieldset>
        </div>
      )}
    </article>
  );
}
