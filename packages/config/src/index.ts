export { loadConfig, loadConfigOrExit, ConfigError, configVariableNames, type Config } from './config.ts';
