export * from './schema/index.ts';
export * from './types.ts';
export * from './open-database.ts';
export * from './events.ts';
export * from './tokens.ts';
export * from './queries/live.ts';
export * from './queries/commands.ts';
export * from './queries/links.ts';
