export * from './roles.ts';
export * from './modes.ts';
export * from './participant-state.ts';
export * from './grants.ts';
