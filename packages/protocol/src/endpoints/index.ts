export * from './spec.ts';
export * from './table.ts';
export * from './access-matrix.ts';
