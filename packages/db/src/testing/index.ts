export * from './test-databases.ts';
export * from './raw-query.ts';
