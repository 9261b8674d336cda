export { startBackend, type Backend } from './server.ts';
export { createApp } from './app.ts';
