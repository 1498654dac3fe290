export * from './event';
export * from './chain';
export * from './build';
export * from './canonicalLine';
export * from './chainVerifier';
export * from './verify';
export * from './runs';
export * from './sink';
