export * from './pathGuard';
export * from './commandRules';
export * from './defaultRules';
export * from './forbiddenOptions';
export * from './ruleMatch';
export * from './commandPolicy';
