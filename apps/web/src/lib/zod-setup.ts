/**
 * Zod compiles object parsers with `new Function` unless told not to. Our CSP has no 'unsafe-eval', so
 * that probe would be refused (and reported as a violation); the interpreted parser is fast enough for forms.
 */
import { config } from 'zod';

config({ jitless: true });
