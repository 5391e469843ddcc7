/**
 * The only way panels build DOM: elements and text nodes, never HTML strings. Everything shown
 * comes from run files written by LLMs, so it is inserted as text (a name like
 * `<img src=x onerror=alert(1)>` stays a name). No `style` attributes either: the CSP forbids them.
 */

type Child = Node | string | number | null | undefined | false;

export interface ElementProps {
  className?: string;
  /** Attribute values are set with setAttribute: data in them is never parsed as markup. */
  attrs?: Record<string, string | number | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  decorate(element, props, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  decorate(element, props, children);
  return element;
}

function decorate(element: Element, props: ElementProps, children: Child[]): void {
  if (props.className) element.setAttribute('class', props.className);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) element.setAttribute(name, String(value));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) element.addEventListener(type, handler as EventListener);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  decorate(parent, {}, children);
}

// The product's one number formatter, re-exported so panels take DOM helpers and numbers from one place.
export { formatCost, formatCount, formatDelta, formatNumber, NO_VALUE } from '../src/core/analytics/numberFormat';

/** Calls `redraw` when VS Code switches theme (it swaps the body's vscode-light/dark/high-contrast class). */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
