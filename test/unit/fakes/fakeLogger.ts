import { type Logger } from '../../../src/core/host';

/** Keeps every line so a test can assert nothing secret was logged. */
export class FakeLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  private push(level: string, message: string | Error, args: unknown[]): void {
    const text = [message instanceof Error ? message.message : message, ...args.map((a) => JSON.stringify(a))].join(' ');
    this.lines.push({ level, message: text });
  }
  trace = (m: string, ...a: unknown[]): void => this.push('trace', m, a);
  debug = (m: string, ...a: unknown[]): void => this.push('debug', m, a);
  info = (m: string, ...a: unknown[]): void => this.push('info', m, a);
  warn = (m: string, ...a: unknown[]): void => this.push('warn', m, a);
  error = (m: string | Error, ...a: unknown[]): void => this.push('error', m, a);
  get text(): string {
    return this.lines.map((l) => l.message).join('\n');
  }
}
