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

/**
 * A Logger for code that runs before the output channel exists (the Azure Boards tree's cached rows
 * on start-up): lines wait, at most `max` of them, and go to the real logger once it is attached.
 */
export function deferredLogger(max = 100): { readonly log: Logger; attach(real: Logger): void } {
  let target: Logger | undefined;
  const waiting: ((real: Logger) => void)[] = [];
  const later = (line: (real: Logger) => void): void => {
    if (target) line(target);
    else if (waiting.length < max) waiting.push(line);
  };
  return {
    log: {
      trace: (m, ...a) => later((l) => l.trace(m, ...a)),
      debug: (m, ...a) => later((l) => l.debug(m, ...a)),
      info: (m, ...a) => later((l) => l.info(m, ...a)),
      warn: (m, ...a) => later((l) => l.warn(m, ...a)),
      error: (m, ...a) => later((l) => l.error(m, ...a)),
    },
    attach(real) {
      target = real;
      for (const line of waiting.splice(0)) line(real);
    },
  };
}
