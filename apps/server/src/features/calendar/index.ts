/** What other features may use from calendar. */
export { calendarRouter } from './router.ts';
