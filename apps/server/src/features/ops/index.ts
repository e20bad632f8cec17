export { opsRouter } from './router.ts';
