export { runJobsCommand, JOBS_HELP } from './jobs-commands.ts';
