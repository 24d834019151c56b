import type { FlowDocument, FlowNode } from '../../../../ivr/flow-document';
import type { Issue } from '../shared/versioned-config-api';
import { outline } from './flow-edit';
import { typeLabel, useNodeT, type NodeT } from './node-editor';

function viaLabel(t: NodeT, via: string): string {
  const option = /^options\.(.+)$/.exec(via);
  if (option) return `⌨ ${option[1]}`;
  const branchCase = /^cases\[(\d+)\]\.next$/.exec(via);
  if (branchCase) return `${t('caseN', { n: Number(branchCase[1]) + 1 })}`;
  const known: Record<string, Parameters<NodeT>[0]> = {
    next: 'next', onTimeout: 'onTimeout', onInvalid: 'onInvalid', onMaxRetries: 'onMaxRetries', open: 'open', closed: 'closed',
    otherwise: 'otherwise', onAccepted: 'onAccepted', onDeclined: 'onDeclined',
  };
  const key = known[via];
  return key ? t(key) : via;
}

function summary(t: NodeT, node: FlowNode): string {
  switch (node.type) {
    case 'route':
      return `→ ${node.topic ? t(`p_${node.topic}`) : t(`i_${node.intent}`)}`;
    case 'set':
      return `${node.variable} = "${node.value}"`;
    case 'collect':
      return `${node.variable} (${node.minLength}–${node.maxLength})`;
    case 'callback':
      return `⌨ ${node.acceptKey}`;
    default:
      return 'prompts' in node ? node.prompts.join(', ') : '';
  }
}

/**
 * The flow as a tree from its start node: each node once, with the key or
 * event that leads to it; later references to a node already shown are links
 * back to it. Nodes with validator messages carry them on their box.
 */
export function FlowOutline(props: {
  flow: FlowDocument;
  selected: string | null;
  issues: Map<string, Issue[]>;
  highlighted: ReadonlySet<string>;
  onSelect: (id: string) => void;
  label: string;
  unreachableLabel: string;
}): preact.JSX.Element {
  const t = useNodeT();
  const { rows, unreachable } = outline(props.flow);
  const box = (id: string, via: string | null, depth: number, repeat: boolean, missing: boolean, key: string): preact.JSX.Element => {
    const node = props.flow.nodes[id];
    const issues = props.issues.get(id) ?? [];
    const classes = ['flow-node', node ? node.type : 'missing', id === props.selected ? 'selected' : '', issues.length > 0 && !repeat ? 'invalid' : '', props.highlighted.has(id) ? 'on-path' : '', repeat ? 'repeat' : ''];
    return (
      <li key={key} class={classes.filter(Boolean).join(' ')} style={{ marginLeft: `${depth * 22}px` }} data-node={id}>
        {via && <span class="via">{viaLabel(t, via)}</span>}
        <button type="button" class="node-box" aria-pressed={id === props.selected} aria-label={`${id}${repeat ? ' ↩' : ''}`} onClick={() => props.onSelect(id)} disabled={missing}>
          <span class="node-id">{repeat ? '↩ ' : ''}{id}</span>
          {node && !repeat && <span class={`badge node-type ${node.type}`}>{typeLabel(t, node.type)}</span>}
          {node && !repeat && <span class="node-summary muted">{summary(t, node)}</span>}
          {missing && <span class="badge bad">?</span>}
          {issues.length > 0 && !repeat && <span class="badge bad" aria-hidden="true">{issues.length}</span>}
        </button>
        {issues.length > 0 && !repeat && (
          <ul class="node-issues" aria-label={`${id}: ${issues.length}`}>
            {issues.map((i) => <li key={i.path + i.message}>{i.path.replace(/^nodes\.[A-Za-z0-9_]+\.?/, '') ? <code>{i.path.replace(/^nodes\.[A-Za-z0-9_]+\.?/, '')}</code> : null} {i.message}</li>)}
          </ul>
        )}
      </li>
    );
  };
  return (
    <div class="flow-outline" aria-label={props.label}>
      <ul>{rows.map((r, i) => box(r.id, r.via, r.depth, r.repeat, r.missing, `${i}:${r.id}`))}</ul>
      {unreachable.length > 0 && (
        <>
          <h3>{props.unreachableLabel}</h3>
          <ul>{unreachable.map((id) => box(id, null, 0, false, false, `u:${id}`))}</ul>
        </>
      )}
    </div>
  );
}
