/**
 * Untrusted text (run files, reviewer comments, SQL) inside markdown documents we write: shown as
 * the text it is, never as markup, HTML, a link or an image, whatever renders the document.
 */

/**
 * `text` as a fenced code block: every line literal. The fence is longer than any backtick run in
 * the text, so the text cannot close it; `info` names the language (default none).
 */
export function fencedCode(text: string, info = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/**
 * `text` as one line of inline markdown that renders as exactly that text: line breaks and other
 * whitespace runs become one space, and each character that can open markup is backslash-escaped,
 * so no `<html>`, `[link](javascript:…)`, `![image]`, `<command:…>` autolink, emphasis, code span,
 * table cell border or `&#…;` entity can form; so are `:`, `@` and a `.` before a letter (not
 * in numbers), which keeps renderers that find links in plain text (markdown-it's linkify, on in
 * VS Code's preview) from making `china.md`, `http://…` or `a@b.c` live. Other punctuation stays
 * as is, for reading the source.
 */
export function markdownInline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>|~&!#:@]|\.(?=\p{L})/gu, '\\$&');
}
