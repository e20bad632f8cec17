export * from './inputs.ts';
export * from './errors.ts';
export * from './ws.ts';
