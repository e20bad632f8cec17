/** The process entry point: start, and stop gracefully on SIGTERM/SIGINT. Errors at start are one clear line. */
import { DatabaseStartError } from './db/client.ts';
import { ConfigError } from './env.ts';
import { startServer } from './server.ts';

try {
  const running = await startServer();
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      void running.stop().then(() => process.exit(0));
    });
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseStartError) {
    process.stderr.write(`QueueCrew cannot start. ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
