export * from './pathGuard';
export * from './commandRules';
export * from './commandPolicy';
