import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (a11y: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
  class?: string;
}

/**
 * A labelled control with the server's message for it underneath. The label
 * points at the control by id (rather than wrapping it) so the control's
 * accessible name is the label alone, not the label plus the selected option.
 */
export function Field(props: FieldProps): preact.JSX.Element {
  const id = useId();
  const describedBy = props.error ? `${id}-error` : undefined;
  return (
    <div class={`field ${props.error ? 'has-error' : ''} ${props.class ?? ''}`}>
      <label for={id}>{props.label}</label>
      {props.children(props.error ? { id, 'aria-invalid': 'true', 'aria-describedby': describedBy } : { id })}
      {props.hint && !props.error && <small class="muted">{props.hint}</small>}
      {props.error && <small class="field-error" id={describedBy} role="alert">{props.error}</small>}
    </div>
  );
}

/** A labelled text input; with `list` it offers the datalist's values (node ids, prompt ids, known callers). */
export function TextField(props: { label: string; value: string; onInput: (value: string) => void; error?: string | undefined; hint?: string; type?: 'text' | 'search' | 'tel' | 'email' | 'password' | 'datetime-local' | 'date' | 'time'; required?: boolean; placeholder?: string; list?: string; class?: string; name?: string }): preact.JSX.Element {
  return (
    <Field label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})} {...(props.class ? { class: props.class } : {})}>
      {(a11y) => {
        const common = { ...a11y, value: props.value, required: props.required, placeholder: props.placeholder, name: props.name, onInput: (e: { currentTarget: HTMLInputElement }) => props.onInput(e.currentTarget.value) };
        if (props.list) return <input {...common} type="text" list={props.list} />;
        // Preact types an input's attributes per literal `type`, so each type gets its own element.
        switch (props.type) {
          case 'search': return <input {...common} type="search" />;
          case 'tel': return <input {...common} type="tel" />;
          case 'email': return <input {...common} type="email" />;
          case 'password': return <input {...common} type="password" />;
          case 'datetime-local': return <input {...common} type="datetime-local" />;
          case 'date': return <input {...common} type="date" />;
          case 'time': return <input {...common} type="time" />;
          default: return <input {...common} type="text" />;
        }
      }}
    </Field>
  );
}

export function NumberField(props: { label: string; value: number | undefined; onInput: (value: number | undefined) => void; error?: string | undefined; hint?: string; min?: number; max?: number; step?: number; class?: string }): preact.JSX.Element {
  return (
    <Field label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})} {...(props.class ? { class: props.class } : {})}>
      {(a11y) => (
        <input
          {...a11y} type="number" value={props.value ?? ''} min={props.min} max={props.max} step={props.step ?? 1}
          onInput={(e) => props.onInput(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
        />
      )}
    </Field>
  );
}

export function SelectField<V extends string>(props: { label: string; value: V; options: ReadonlyArray<{ value: V; label: string }>; onChange: (value: V) => void; error?: string | undefined; class?: string }): preact.JSX.Element {
  return (
    <Field label={props.label} error={props.error} {...(props.class ? { class: props.class } : {})}>
      {(a11y) => (
        <select {...a11y} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as V)}>
          {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}

export function CheckboxField(props: { label: string; checked: boolean; onChange: (checked: boolean) => void }): preact.JSX.Element {
  return (
    <label class="checkbox">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/** Tabs as a row of buttons; the page keeps which one is open (often in the hash route). */
export function Tabs<K extends string>(props: { label: string; tabs: ReadonlyArray<{ key: K; label: string }>; current: K; onSelect: (key: K) => void }): preact.JSX.Element {
  return (
    <div class="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((tab) => (
        <button key={tab.key} type="button" role="tab" aria-selected={tab.key === props.current} class={tab.key === props.current ? 'active' : ''} onClick={() => props.onSelect(tab.key)}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}
