export * from './enums.ts';
export * from './organisations.ts';
export * from './networks.ts';
export * from './meetings.ts';
export * from './participants.ts';
export * from './events.ts';
export * from './e2ee.ts';
