/**
 * `waymark-collector`: start | migrate | purge | rebuild-rollups. Configuration from `--config`
 * or `WAYMARK_CONFIG`; without either, `<data dir>/waymark.config.json` (a demo org is created on
 * the first start). `PORT` and `WAYMARK_DATA_DIR` set the port and the data directory.
 */
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { createCollector, defaultDataDir } from './app';
import { loadConfig } from './config/load';
import type { CollectorConfig } from './config/schema';
import { aggregate } from './rollups/aggregate';
import { purgeNow, rebuildFrom } from './retention';
import { describeEmbed } from './routes/static';
import { startServer, type RunningServer } from './server';
import { addScaleOutCommands } from './scale-out-cli';
import { describeStore, openStore as openConfiguredStore, withEnvironment } from './scale-out';

interface Common {
  config?: string;
  dataDir?: string;
}

const program = new Command('waymark-collector')
  .description('Waymark reference collector: ingest, raw-URL pixel, rollups, analytics')
  .showHelpAfterError();

const common = (c: Command) =>
  c
    .option('-c, --config <file>', 'configuration file (default: $WAYMARK_CONFIG, else <data dir>/waymark.config.json)')
    .option('-d, --data-dir <dir>', 'data directory of the SQLite store (default: $WAYMARK_DATA_DIR, else ./.waymark-data)');

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0-65535, got "${v}"`);
  return n;
};

function setup(o: Common) {
  const dataDir = resolve(o.dataDir ?? defaultDataDir());
  const loaded = loadConfig({ path: o.config ?? (process.env.WAYMARK_CONFIG || undefined), dataDir });
  // DATABASE_URL / REDIS_URL choose PostgreSQL and Redis-shared rate limits (scale-out.ts)
  return { dataDir, ...loaded, config: withEnvironment(loaded.config) };
}

function openStore(dataDir: string, config: CollectorConfig) {
  return openConfiguredStore(config, dataDir);
}

common(program.command('start').description('start the HTTP collector'))
  .option('-p, --port <port>', 'port to listen on (default: $PORT, else 8787)', port)
  .option('--host <host>', 'interface to listen on; 0.0.0.0 or :: for every interface (other machines can then reach it)', '127.0.0.1')
  .option('--no-processor', 'do not run the outbox processor in this process (run `processor` processes instead)')
  .action(async (o: Common & { port?: number; host: string; processor: boolean }) => {
    const { dataDir, config, path, createdDemo } = setup(o);
    const collector = await createCollector({ config, dataDir, inProcessProcessor: o.processor });
    const running = await startServer(collector, { port: o.port ?? (process.env.PORT ? port(process.env.PORT) : 8787), host: o.host });
    let exiting = false;
    const shutdown = (signal: string) => {
      if (exiting) return;
      exiting = true;
      collector.logger.info({ signal }, 'shutting down: finishing requests, draining the processor');
      running.stop().then(
        () => process.exit(0),
        (err) => {
          collector.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    // the banner last: whoever waits for it (a script, a test) may stop the collector at once
    printBanner(running, config, path, createdDemo);
  });

common(program.command('migrate').description('create or upgrade the database schema, then exit')).action(async (o: Common) => {
  const { dataDir, config } = setup(o);
  const store = openStore(dataDir, config);
  await store.migrate();
  await store.close();
  console.log(`schema up to date: ${describeStore(config, dataDir)}`);
});

common(program.command('purge').description('delete raw events, activity and pixel records past their retention, then exit')).action(
  async (o: Common) => {
    const { dataDir, config } = setup(o);
    const store = openStore(dataDir, config);
    await store.migrate();
    const r = await purgeNow(store, config.retention);
    await store.close();
    console.log(`purged ${r.rawEvents} raw events, ${r.activity} activity entries, ${r.pixelRecords} pixel records, ${r.minuteCounters} minute counters`);
  },
);

common(program.command('rebuild-rollups').description('recompute hourly and daily counters from the raw events, then exit'))
  .option('--from <date>', 'first UTC day to recompute, YYYY-MM-DD (default: the oldest day whose raw events are all retained)')
  .action(async (o: Common & { from?: string }) => {
    const { dataDir, config } = setup(o);
    let from = rebuildFrom(config.retention);
    if (o.from !== undefined) {
      from = Date.parse(`${o.from}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.from) || Number.isNaN(from)) {
        program.error(`--from: expected a date YYYY-MM-DD, got "${o.from}"`);
      }
    }
    const store = openStore(dataDir, config);
    await store.migrate();
    const logger = pino({ level: 'warn' });
    // apply what is pending first, so the rebuilt counters replace complete ones
    const { createProcessor } = await import('./processor');
    await createProcessor({ store, logger }).stop();
    const n = await store.rebuildRollups(from, aggregate);
    await store.close();
    console.log(`rebuilt counters from ${new Date(from).toISOString().slice(0, 10)} out of ${n} raw events`);
  });

addScaleOutCommands(program, common, setup);

function printBanner(running: RunningServer, config: CollectorConfig, path: string, createdDemo: boolean) {
  const { url } = running;
  const org = config.orgs[0];
  const journey = org?.journeys[0];
  const lines = [
    '',
    running.everyInterface
      ? `Waymark collector listening on every interface (${running.address} port ${running.port}), here at ${url}: other machines can reach it`
      : `Waymark collector listening on ${url}`,
    `  configuration: ${path}${createdDemo ? ' (demo org created on this first start)' : ''}`,
    `  health:        ${url}/health`,
    `  examples:      ${url}/examples/`,
    `  dashboard:     ${url}/dashboard`,
  ];
  if (org) {
    // only a key this collector generated itself (the demo org, on the start that created it):
    // keys the user configured are theirs, and a banner ends up in logs and screenshots
    lines.push(createdDemo ? `  org "${org.key}" admin API key: ${org.apiKeys[0]}` : `  admin API keys: orgs[].apiKeys in ${path}`);
    if (journey) {
      const data = `data-org="${org.key}" data-journey="${journey.key}" data-endpoint="${url}/api/ingest" data-env="prod"`;
      lines.push('', 'Script tag for your pages (always the current embed):', `<script src="${url}/embed/v1.js" ${data} async></script>`);
      const pinned = describeEmbed();
      if (pinned) {
        lines.push(
          'or pinned to this build, checked by the browser (Subresource Integrity; update it when the embed changes):',
          `<script src="${url}${pinned.path}" integrity="${pinned.integrity}" crossorigin="anonymous" ${data} async></script>`,
        );
      } else {
        lines.push('(the embed is not built: run `npm run build -w @waymark/browser`)');
      }
    }
    if (org.sites[0]) lines.push('', `Pixel: ${url}/pixel.gif?si=${encodeURIComponent(org.sites[0])}&message=hello`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`waymark-collector: ${err.message}`);
  process.exit(1);
});
