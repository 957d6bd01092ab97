import 'reflect-metadata';
import pino from 'pino';
import { loadConfig, ConfigError } from './config';
import { createApp } from './app';

/** Composition root: read config, build the app, listen, shut down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`slotbook: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    databasePoolSize: config.databasePoolSize,
    introspection: config.introspection,
    development: config.development,
    logger,
    queryLimits: config.queryLimits,
    corsOrigins: config.corsOrigins,
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
  });
  const { url } = await app.listen(config.port, config.host);
  logger.info({ url, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, `Slotbook ready at ${url}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('slotbook failed to start:', err);
  process.exit(1);
});
