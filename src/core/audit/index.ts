export * from './event';
export * from './chain';
export * from './build';
export * from './verify';
export * from './runs';
export * from './sink';
