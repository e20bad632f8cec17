export * from './inputs.ts';
export * from './ws.ts';
