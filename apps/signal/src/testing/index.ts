export * from './seed.ts';
export * from './livekit-server.ts';
