export * from './templates';
export * from './hierarchy';
export * from './lifecycle';
export * from './stateMapping';
export * from './tags';
export * from './githubStatus';
