import type * as vscode from 'vscode';
import { type Logger } from '../core/host';
import { redactText } from '../core/redact';

const render = (message: string | Error, args: unknown[]): string => {
  const head = message instanceof Error ? `${message.name}: ${message.message}` : message;
  const tail = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)));
  return [head, ...tail].join(' ');
};

/** The core Logger on a LogOutputChannel; every line is redacted before it is written. */
export function createLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m, ...a) => channel.trace(redactText(render(m, a))),
    debug: (m, ...a) => channel.debug(redactText(render(m, a))),
    info: (m, ...a) => channel.info(redactText(render(m, a))),
    warn: (m, ...a) => channel.warn(redactText(render(m, a))),
    error: (m, ...a) => channel.error(redactText(render(m, a))),
  };
}
