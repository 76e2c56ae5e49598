/** Reads the configuration file, or creates the demo configuration on a first start without one. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig, type CollectorConfig, type ConfigInput } from './schema';

export interface LoadedConfig {
  config: CollectorConfig;
  /** the file read or written */
  path: string;
  /** true when this call created the demo configuration */
  createdDemo: boolean;
}

/** Reads and validates a JSON configuration file; errors name the file and the wrong value. */
export function readConfigFile(path: string): CollectorConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read configuration file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`configuration file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parseConfig(json);
  } catch (e) {
    throw new Error(`${(e as Error).message} (in ${path})`);
  }
}

/** The demo configuration written on a first start: one org, one journey, one pixel site. */
export function demoConfig(): ConfigInput {
  return {
    orgs: [
      {
        key: 'demo',
        apiKeys: [`sk_live_${randomBytes(18).toString('base64url')}`],
        journeys: [{ key: 'demo-journey' }],
        sites: ['demo.local'],
      },
    ],
  };
}

/**
 * `path` (from `--config` or `WAYMARK_CONFIG`) wins; otherwise `<dataDir>/waymark.config.json`
 * is used, and created with {@link demoConfig} when it does not exist.
 */
export function loadConfig(opts: { path?: string; dataDir: string }): LoadedConfig {
  if (opts.path) {
    const path = resolve(opts.path);
    return { config: readConfigFile(path), path, createdDemo: false };
  }
  const path = join(resolve(opts.dataDir), 'waymark.config.json');
  if (existsSync(path)) return { config: readConfigFile(path), path, createdDemo: false };
  mkdirSync(resolve(opts.dataDir), { recursive: true });
  writeFileSync(path, `${JSON.stringify(demoConfig(), null, 2)}\n`, { mode: 0o600 });
  return { config: readConfigFile(path), path, createdDemo: true };
}
