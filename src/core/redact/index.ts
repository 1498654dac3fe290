/**
 * Redaction of secrets, used by the logger, error messages, the audit trail and prompts sent to
 * cloud models. See docs/core.md for the rules and their limits.
 */
export { redactText } from './redactText';
export { redactValue, REDACTED } from './redactValue';
export { isSensitiveKey } from './sensitiveKeys';
export { RULES, type RedactionRule } from './rules';
