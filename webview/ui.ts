/**
 * Our one door to the component kit. Panels call these functions, never the kit directly, so
 * replacing @vscode/webview-ui-toolkit (deprecated upstream, archived in January 2025) with
 * @vscode-elements/elements touches only this file. Tables stay plain <table> elements: the
 * kit's data grid has no paging or virtualisation and a native table is what screen readers know.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import { el } from './dom';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption());

export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  return el(
    'vscode-button' as 'button',
    { attrs: { appearance: options.secondary ? 'secondary' : 'primary', title: options.title, id: options.id }, on: { click: onClick } },
    label,
  );
}

export interface Choice {
  value: string;
  label: string;
}

/** A labelled drop-down; `onChange` gets the chosen value. */
export function dropdown(label: string, choices: Choice[], value: string, onChange: (value: string) => void, id?: string): HTMLElement {
  const select = el(
    'vscode-dropdown' as 'select',
    { attrs: { id, 'aria-label': label } },
    ...choices.map((c) => el('vscode-option' as 'option', { attrs: { value: c.value, selected: c.value === value ? '' : undefined } }, c.label)),
  );
  select.addEventListener('change', () => onChange((select as unknown as { value: string }).value));
  // The kit picks its first option when it connects; set the real value once it is in the page.
  requestAnimationFrame(() => ((select as unknown as { value: string }).value = value));
  return el('label', { className: 'field' }, el('span', { className: 'field-label' }, label), select);
}

/** The "Turn" drop-down over the side-by-side actions (id `turn-choice`): `turns` in order, `turn` chosen; `onTurn` gets the number. */
export function turnDropdown(turns: readonly number[], turn: number | null | undefined, onTurn: (turn: number) => void): HTMLElement {
  return dropdown('Turn', turns.map((t) => ({ value: String(t), label: `Turn ${t}` })), String(turn ?? ''), (value) => onTurn(Number(value)), 'turn-choice');
}
