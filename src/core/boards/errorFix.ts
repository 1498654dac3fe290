import { type DevOpsErrorCode } from '../errors';

/**
 * The action offered beside an error in a boards view, so the user can fix it from the tree
 * rather than from a toast that has gone: sign in again, correct a setting, or try again.
 */
export interface ErrorFix {
  readonly label: string;
  readonly command: string;
  readonly icon: string;
}

const SIGN_IN: ErrorFix = { label: 'Sign in', command: 'aiDevops.signIn', icon: 'account' };
const SETTINGS: ErrorFix = { label: 'Open Settings', command: 'aiDevops.openSettings', icon: 'settings-gear' };
const LOG: ErrorFix = { label: 'Show Log', command: 'aiDevops.showLog', icon: 'output' };

export function errorFixes(code: DevOpsErrorCode, retryCommand: string): ErrorFix[] {
  const retry: ErrorFix = { label: 'Retry', command: retryCommand, icon: 'refresh' };
  switch (code) {
    case 'unauthorized':
      return [SIGN_IN, SETTINGS];
    case 'notConfigured':
      return [SETTINGS, SIGN_IN];
    case 'forbidden':
    case 'notFound':
    case 'invalidInput':
      return [SETTINGS, retry];
    case 'rateLimited':
    case 'unavailable':
    case 'timeout':
    case 'cancelled':
      return [retry, LOG];
    case 'badResponse':
    case 'conflict':
    case 'refused':
      return [retry, LOG];
  }
}

/** The one-line error row: what failed, the service's message, when a retry makes sense. */
export function errorRowLabel(what: string, message: string): string {
  return `${what}: ${message}`;
}
