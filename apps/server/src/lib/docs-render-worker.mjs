// Renders the API reference with Redoc off the main thread (lib/docs-page.ts): React's renderToString
// of the whole document takes seconds and is synchronous, so it must not block the server's event loop.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const React = require('react');
const { renderToString } = require('react-dom/server');
const { ServerStyleSheet } = require('styled-components');
const redoc = require('redoc');

const store = await redoc.createStore(workerData.spec, '/api/openapi.json', workerData.options);
const sheet = new ServerStyleSheet();
try {
  // Style attributes are inline style, which the page's CSP (style-src 'self') refuses: drop them
  // rather than have the browser report each one. Every other style is in the served stylesheet.
  const body = renderToString(sheet.collectStyles(React.createElement(redoc.Redoc, { store }))).replace(/ style="[^"]*"/g, '');
  const css = sheet.getStyleTags().replace(/<\/?style[^>]*>/g, '');
  parentPort.postMessage({ body, css });
} finally {
  sheet.seal();
}
