/**
 * The HTML shell of every panel: a strict Content-Security-Policy (only our nonce'd script, only
 * our own stylesheets/images/fonts, nothing remote, no inline styles), our stylesheets (the chart
 * library's, then ours) and one script. All content is drawn by the script from snapshots, as text.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlParts {
  title: string;
  /** webview.cspSource */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Stylesheets loaded before ours (the chart library's own, shipped in dist/webview). */
  libraryStyleUris?: string[];
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** Made only of VS Code's cspSource and our nonce (no quotes, no markup), so it goes into the attribute as is. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(parts: PanelHtmlParts): string {
  const nonce = parts.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${(parts.libraryStyleUris ?? []).map((uri) => `<link rel="stylesheet" href="${escapeHtml(uri)}">\n`).join('')}<link rel="stylesheet" href="${escapeHtml(parts.styleUri)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="status">Loading…</p></main>
<script type="module" nonce="${nonce}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>`;
}

/** For the few host-made strings in the shell; the webview itself never builds HTML from data. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
