export * from './errors.ts';
export * from './live.ts';
export * from './http.ts';
