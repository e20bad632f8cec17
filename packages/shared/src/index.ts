export * from './inputs.ts';
export * from './errors.ts';
