/** The scale-out commands of `waymark-collector`: `processor` and `migrate-data`. */
import type { Command } from 'commander';
import { pino } from 'pino';
import type { CollectorConfig } from './config/schema';
import { runProcessor } from './processor-cli';
import { describeStore, openStore } from './scale-out';
import { migrateData } from './store/postgres/migrate-data';

interface Common {
  config?: string;
  dataDir?: string;
}

/** Adds the commands to `program`; `common` adds the shared options, `setup` loads the configuration. */
export function addScaleOutCommands(
  program: Command,
  common: (c: Command) => Command,
  setup: (o: Common) => { dataDir: string; config: CollectorConfig },
): void {
  common(program.command('processor').description('run an outbox processor on its own (any number may run against PostgreSQL)'))
    .option('--batch-size <n>', 'outbox rows per claim (default: processor.batchSize)', (v) => Number(v))
    .action(async (o: Common & { batchSize?: number }) => {
      const { dataDir, config } = setup(o);
      const logger = pino({ level: config.logLevel, base: { service: 'waymark-processor' } });
      const store = openStore(config, dataDir);
      await store.migrate();
      const p = runProcessor({ store, logger, batchSize: o.batchSize ?? config.processor.batchSize });
      process.stdout.write(`Waymark processor running on ${describeStore(config, dataDir)}\n`);
      let exiting = false;
      const shutdown = (signal: string) => {
        if (exiting) return;
        exiting = true;
        logger.info({ signal }, 'processor stopping after the claim in flight');
        p.stop()
          .then(() => store.close())
          .then(() => process.stdout.write(`Waymark processor stopped after ${p.processed} outbox rows\n`))
          .then(
            () => process.exit(0),
            (err) => {
              logger.error({ err }, 'processor shutdown failed');
              process.exit(1);
            },
          );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });

  program
    .command('migrate-data')
    .description('copy an installation from a SQLite file to PostgreSQL (raw events, rollups, activity, pixel records, erasures, dead letters); safe to re-run')
    .requiredOption('--from <file>', 'the SQLite database file (e.g. .waymark-data/waymark.db); stop its collector first')
    .requiredOption('--to <url>', 'postgres://user@host:5432/db')
    .option('--schema <name>', 'PostgreSQL schema (default: public)')
    .option('--source <name>', 'name of this source in the rollup ledger, keeps re-runs idempotent', 'sqlite')
    .action(async (o: { from: string; to: string; schema?: string; source: string }) => {
      const r = await migrateData({ from: o.from, to: o.to, schema: o.schema, source: o.source, log: (line) => process.stdout.write(`${line}\n`) });
      process.stdout.write(
        `migrated: ${r.rawEvents} new raw events (${r.rawEventsSeen} read), ${r.counterKeys} counters adjusted, ` +
          `${r.activity} new activity entries, ${r.pixelRecords} pixel records merged, ${r.journeySettings} journey settings, ` +
          `${r.tombstones} erased users, ${r.deadLetters} dead letters\n`,
      );
    });
}
