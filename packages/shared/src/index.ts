export * from './inputs.ts';
export * from './responses.ts';
export * from './ws.ts';
export * from './contract.ts';
