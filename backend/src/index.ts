export { startBackend } from './server.ts';
export { createApp } from './app.ts';
