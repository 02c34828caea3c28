export * from './errors.ts';
export * from './live.ts';
export * from './http.ts';
export * from './common.ts';
export * from './staff.ts';
export * from './networks.ts';
export * from './meetings.ts';
export * from './participants.ts';
