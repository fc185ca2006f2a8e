/**
 * `lint --format github`: GitHub Actions workflow commands, which the runner
 * turns into annotations on the pull request's lines
 * (`::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message`).
 */
import type { Finding } from './findings.js';

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

/** A command's message, escaped as @actions/core does: a newline would end the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which separate the properties and the message. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Line and columns are 1-based; the end column is the one after the last character, as in SARIF. */
export function annotation(f: Finding): string {
  const props: string[] = [];
  if (f.file !== undefined) {
    props.push(`file=${escapeProperty(f.file)}`);
    if (f.range) {
      const { start, end } = f.range;
      props.push(`line=${start.line + 1}`, `col=${start.character + 1}`, `endLine=${end.line + 1}`, `endColumn=${end.character + 1}`);
    }
  }
  props.push(`title=${escapeProperty(f.code)}`);
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
}
