/** The panel HTML shell: strict CSP with a nonce, nothing remote, host strings escaped. */
import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, escapeHtml, newNonce, panelHtml } from '../../../src/extension/webviews/panelHtml';

const HOSTILE = '<img src=x onerror=alert(1)>';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview panels: HTML shell and CSP', () => {
  const html = panelHtml({ title: `Metric: ${HOSTILE}`, cspSource: CSP_SOURCE, scriptUri: `${CSP_SOURCE}/ext/dist/webview/metricChartPanel.js`, styleUri: `${CSP_SOURCE}/ext/media/panels.css`, nonce: 'abc123' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];

  it('sets the policy: nothing by default, only our nonce for scripts, only webview resources otherwise', () => {
    assert.equal(csp, `default-src 'none'; script-src 'nonce-abc123'; style-src ${CSP_SOURCE}; img-src ${CSP_SOURCE} data:; font-src ${CSP_SOURCE}`);
    assert.equal(contentSecurityPolicy(CSP_SOURCE, 'n'), csp!.replace('abc123', 'n'));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|https?:\/\/(?!file\+\.vscode-resource)/);
  });

  it('has exactly one script, carrying the nonce, and no inline script or style', () => {
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="abc123"/);
    assert.match(scripts[0], /src="[^"]+metricChartPanel\.js"/);
    assert.doesNotMatch(html, /<style|<[^>]*\s(style|on\w+)=/i);
  });

  it('escapes the title, which may hold names from run files', () => {
    assert.match(html, /<title>Metric: &lt;img src=x onerror=alert\(1\)&gt;<\/title>/);
    assert.ok(!html.includes(HOSTILE));
    assert.equal(escapeHtml(`"'&<>`), '&quot;&#39;&amp;&lt;&gt;');
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const a = newNonce();
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(a, newNonce());
    assert.notEqual(panelHtml({ title: 't', cspSource: CSP_SOURCE, scriptUri: 's', styleUri: 'c' }), panelHtml({ title: 't', cspSource: CSP_SOURCE, scriptUri: 's', styleUri: 'c' }));
  });
});
