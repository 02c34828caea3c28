export * from './paths.ts';
export * from './ports.ts';
export * from './process.ts';
export * from './livekit.ts';
export * from './database.ts';
export * from './services.ts';
export * from './stack.ts';
export * from './browser.ts';
