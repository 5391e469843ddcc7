/**
 * Source locations handed to a webview as opaque tokens. The webview can only ask the host to
 * open a token it was given, so a compromised page cannot make the host open arbitrary files.
 */
import type { SourceLocation } from '../../core/analytics/types';
import type { SourceLink } from '../../protocol/messages';

export class SourceLinks {
  private readonly locations = new Map<string, SourceLocation>();
  private next = 1;

  link(source: SourceLocation | undefined): SourceLink | undefined {
    if (!source) return undefined;
    const token = `s${this.next++}`;
    this.locations.set(token, source);
    const name = source.file.slice(source.file.lastIndexOf('/') + 1);
    return { token, label: `${name}:${source.focusLine}` };
  }

  resolve(token: string): SourceLocation | undefined {
    return this.locations.get(token);
  }

  /** Forget the tokens of an earlier snapshot (the webview replaces everything it shows). */
  clear(): void {
    this.locations.clear();
  }
}
