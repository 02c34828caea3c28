export * from './errors.ts';
export * from './live.ts';
