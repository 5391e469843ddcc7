/**
 * Colours of the metric charts, per theme kind. Each line colour has at least 3:1 contrast
 * against the theme's editor background (WCAG 2.1 non-text contrast), checked by a unit test
 * against VS Code's default backgrounds; high-contrast themes use the dark or light set, whose
 * colours also clear 3:1 on pure black and white. Pure data (no DOM) so tests import it.
 */

export type ThemeKind = 'dark' | 'light' | 'highContrast' | 'highContrastLight';

export interface ChartColors {
  /** One colour per run line, repeated only beyond this many runs (then the distribution is the default view). */
  lines: readonly string[];
  /** Median line and the fill of the inter-quartile and 5–95 % bands. */
  median: string;
  iqrFill: string;
  outerFill: string;
  /** Mean line (dashed). */
  mean: string;
  /** Axis text and grid. */
  text: string;
  grid: string;
}

const DARK_LINES = ['#5fb3f5', '#f5a25f', '#6fd08c', '#d49cf0', '#f57fae', '#c9d45f', '#5fd4e0', '#e8c15f', '#a5a5ff', '#ff8a8a', '#8fd4a0', '#c0a8f0'];
const LIGHT_LINES = ['#0b5cad', '#b3470b', '#1a7f37', '#8e3fa8', '#a3185b', '#5c6b00', '#00707d', '#7a5200', '#3d3dbd', '#b0003a', '#2f6f3e', '#6b4c9a'];

export const CHART_COLORS: Record<ThemeKind, ChartColors> = {
  dark: { lines: DARK_LINES, median: '#5fb3f5', iqrFill: 'rgba(95,179,245,0.35)', outerFill: 'rgba(95,179,245,0.15)', mean: '#f5a25f', text: '#cccccc', grid: 'rgba(204,204,204,0.15)' },
  light: { lines: LIGHT_LINES, median: '#0b5cad', iqrFill: 'rgba(11,92,173,0.30)', outerFill: 'rgba(11,92,173,0.12)', mean: '#b3470b', text: '#3b3b3b', grid: 'rgba(59,59,59,0.15)' },
  highContrast: { lines: DARK_LINES, median: '#5fb3f5', iqrFill: 'rgba(95,179,245,0.45)', outerFill: 'rgba(95,179,245,0.2)', mean: '#f5a25f', text: '#ffffff', grid: 'rgba(255,255,255,0.3)' },
  highContrastLight: { lines: LIGHT_LINES, median: '#0b5cad', iqrFill: 'rgba(11,92,173,0.35)', outerFill: 'rgba(11,92,173,0.15)', mean: '#b3470b', text: '#000000', grid: 'rgba(0,0,0,0.3)' },
};

/** The background each theme kind is checked against (VS Code's default editor backgrounds). */
export const THEME_BACKGROUNDS: Record<ThemeKind, readonly string[]> = {
  dark: ['#1e1e1e', '#1f1f1f', '#252526'],
  light: ['#ffffff', '#f8f8f8'],
  highContrast: ['#000000'],
  highContrastLight: ['#ffffff'],
};

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1 … 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The theme kind VS Code announces on the webview's body. */
export function themeKindOf(body: { classList: { contains(name: string): boolean } }): ThemeKind {
  if (body.classList.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (body.classList.contains('vscode-high-contrast')) return 'highContrast';
  return body.classList.contains('vscode-light') ? 'light' : 'dark';
}
