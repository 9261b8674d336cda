export { PRODUCTION_REQUIRED, missingInProduction, type Service } from './production.ts';
export { loadConfig, loadConfigOrExit, ConfigError, configVariableNames, type Config } from './config.ts';
