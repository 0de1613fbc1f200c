import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { AppConfig } from '../../contract/config.js';
import { ConfigError } from '../../core/config/configError.js';
import { parseAppConfig } from '../../core/config/configSchema.js';

/** Reads a JSON or YAML config file (by extension; YAML also reads JSON) and validates it. */
export function readConfigFile(path: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError('BAD_CONFIG', `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error)}`);
  }
  let document: unknown;
  try {
    document = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError('BAD_CONFIG', `${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML or JSON'} (${(error as Error).message.split('\n')[0]})`);
  }
  return parseAppConfig(document, path);
}
