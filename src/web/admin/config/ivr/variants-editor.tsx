import type { ApiError } from '../../../shared/api-client';
import { translator } from '../../../shared/i18n';
import type { FlowDocument, PlayNode } from '../../../../ivr/flow-document';
import { SelectField, TextField } from '../shared/form-controls';
import { findPrompt, type PromptRow } from './prompt-catalogue';
import { PromptPlayer } from './prompt-player';

const useT = translator({
  en: {
    variants: 'Variants (one per call, so regular callers do not hear the same words)', variant: 'Variant {n}', addVariant: 'Add variant',
    removeVariant: 'Remove variant {n}', useVariants: 'Vary this message', choice: 'Chosen per call', rotation: 'in turn', random: 'at random',
    standsFor: 'Stands in for the prompt among the messages above that is one of them; a variant without a recording in a language is skipped in it.',
  },
  ru: {
    variants: 'Варианты (по одному на звонок, чтобы постоянные клиенты не слышали одно и то же)', variant: 'Вариант {n}', addVariant: 'Добавить вариант',
    removeVariant: 'Убрать вариант {n}', useVariants: 'Чередовать это сообщение', choice: 'Выбор на звонок', rotation: 'по очереди', random: 'случайно',
    standsFor: 'Заменяет то из сообщений выше, которое есть среди вариантов; вариант без записи на каком-то языке на нём пропускается.',
  },
});

/**
 * A play node's variants (issue 17): the greetings rotated or drawn per call,
 * each with its recordings to listen to; the validator's messages (a
 * dangling prompt id) beside the variant they are about.
 */
export function VariantsEditor(props: {
  node: PlayNode;
  flow: FlowDocument;
  prompts: PromptRow[];
  /** The datalist of prompt ids the editor page offers (node-editor PROMPT_IDS_LIST). */
  promptIdsList: string;
  issueAt: (field: string) => string | undefined;
  onChange: (patch: Partial<PlayNode>) => void;
  onUploaded: (row: PromptRow) => void;
  onError: (error: ApiError) => void;
}): preact.JSX.Element {
  const t = useT();
  const variants = props.node.variants;
  const catalogueIds = [...new Set(props.prompts.map((p) => p.id))];
  if (!variants) {
    return (
      <button type="button" onClick={() => props.onChange({ variants: [props.node.prompts[0] ?? 'greeting'], variantChoice: 'rotation' })}>{t('useVariants')}</button>
    );
  }
  const write = (next: string[]): void => {
    props.onChange(next.length === 0 ? { variants: undefined, variantChoice: undefined } : { variants: next });
  };
  const nextFree = catalogueIds.find((id) => !variants.includes(id)) ?? '';
  return (
    <fieldset class="variants" aria-label={t('variants')}>
      <legend>{t('variants')}</legend>
      <p class="muted">{t('standsFor')}</p>
      {props.issueAt('variants') && <p class="error" role="alert">{props.issueAt('variants')}</p>}
      <SelectField label={t('choice')} value={props.node.variantChoice ?? 'rotation'}
        options={[{ value: 'rotation' as const, label: t('rotation') }, { value: 'random' as const, label: t('random') }]}
        onChange={(choice) => props.onChange({ variantChoice: choice })} />
      {variants.map((id, index) => (
        <div class="prompt-entry variant" key={index}>
          <div class="row">
            <TextField label={t('variant', { n: index + 1 })} value={id} list={props.promptIdsList} error={props.issueAt(`variants[${index}]`)} class="grow"
              onInput={(v) => write(variants.map((p, i) => (i === index ? v.trim() : p)))} />
            <button type="button" class="link" aria-label={t('removeVariant', { n: index + 1 })} onClick={() => write(variants.filter((_, i) => i !== index))}>✕</button>
          </div>
          {props.flow.languages.map((language) => (
            <PromptPlayer key={language} id={id} language={language} prompt={findPrompt(props.prompts, id, language)} onUploaded={props.onUploaded} onError={props.onError} />
          ))}
        </div>
      ))}
      <button type="button" onClick={() => write([...variants, nextFree])}>{t('addVariant')}</button>
    </fieldset>
  );
}
