export { startWebsite } from './server.ts';
export { createWebsiteApp } from './app.ts';
