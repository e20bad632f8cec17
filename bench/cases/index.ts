/** Every registered benchmark case, in the order they run. Add a case: a module that calls registerCase(), imported here. */
import './http.ts';
import './library.ts';
import './ws-fanout.ts';
import './web-bundle.ts';
