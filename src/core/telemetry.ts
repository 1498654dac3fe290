/**
 * Usage telemetry: event names and a few enum-like properties and numbers. No personal data: no
 * paths, URLs, ids, titles, user names or free text; anything that is not a short token from a
 * fixed vocabulary is dropped before it leaves the process.
 */
export interface Telemetry {
  event(name: string, properties?: Record<string, string | boolean | undefined>, measurements?: Record<string, number>): void;
  error(name: string, properties?: Record<string, string | boolean | undefined>): void;
}

/** A short identifier such as `sandbox`, `azureBoards`, `rateLimited`, `7.1`: nothing that can name a person or a file. */
const SAFE_VALUE = /^(?:[A-Za-z][A-Za-z0-9_.-]{0,31}|\d{1,3}(?:\.\d{1,3}){1,3})$/;
const SAFE_NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;

export function sanitizeTelemetry(
  properties: Record<string, string | boolean | undefined> = {},
  measurements: Record<string, number> = {},
): { properties: Record<string, string>; measurements: Record<string, number> } {
  const props: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!SAFE_NAME.test(key) || value === undefined) continue;
    const text = typeof value === 'boolean' ? String(value) : value;
    // Emails, paths and URLs all fail the pattern (@, /, :), as do anything longer than 32 characters.
    if (SAFE_VALUE.test(text)) props[key] = text;
  }
  const measures: Record<string, number> = {};
  for (const [key, value] of Object.entries(measurements)) {
    if (SAFE_NAME.test(key) && Number.isFinite(value)) measures[key] = Math.round(value * 1000) / 1000;
  }
  return { properties: props, measurements: measures };
}

export const isSafeEventName = (name: string): boolean => SAFE_NAME.test(name);
