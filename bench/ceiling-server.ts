/**
 * The ceiling for one answer: a bare `node:http` server that sends a fixed body (QC_BENCH_BODY, with
 * QC_BENCH_CONTENT_TYPE) for every request, in its own process like the app server. No framework, no
 * routing, no work: what the same bytes cost to send on this machine. Prints its port on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(process.env['QC_BENCH_BODY'] ?? '', 'utf8');
const contentType = process.env['QC_BENCH_CONTENT_TYPE'] ?? 'application/json';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
