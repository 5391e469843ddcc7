/** Chart colours meet 3:1 against the background of every theme kind (the old second colour had ~1.5:1). */
import { strict as assert } from 'node:assert';
import { CHART_COLORS, contrast, THEME_BACKGROUNDS, themeKindOf, type ThemeKind } from '../../../webview/chartColors';

describe('chart colours', () => {
  it('computes WCAG contrast', () => {
    assert.equal(Math.round(contrast('#000000', '#ffffff')), 21);
    assert.equal(contrast('#777777', '#777777'), 1);
  });

  for (const kind of Object.keys(CHART_COLORS) as ThemeKind[]) {
    it(`every line, the median and the mean have ≥ 3:1 contrast in ${kind} themes`, () => {
      const colors = CHART_COLORS[kind];
      for (const background of THEME_BACKGROUNDS[kind]) {
        for (const color of [...colors.lines, colors.median, colors.mean]) {
          assert.ok(contrast(color, background) >= 3, `${color} on ${background}: ${contrast(color, background).toFixed(2)}`);
        }
        assert.ok(contrast(colors.text, background) >= 4.5, `axis text on ${background}`);
      }
      assert.equal(new Set(colors.lines).size, colors.lines.length, 'no repeated line colour');
      assert.ok(colors.lines.length >= 12, 'a colour per run up to the distribution threshold');
    });
  }

  it('reads the theme kind from the classes VS Code puts on the body', () => {
    const body = (classes: string[]) => ({ classList: { contains: (c: string) => classes.includes(c) } });
    assert.equal(themeKindOf(body(['vscode-light'])), 'light');
    assert.equal(themeKindOf(body(['vscode-dark'])), 'dark');
    assert.equal(themeKindOf(body(['vscode-high-contrast'])), 'highContrast');
    assert.equal(themeKindOf(body(['vscode-high-contrast', 'vscode-high-contrast-light'])), 'highContrastLight');
  });
});
