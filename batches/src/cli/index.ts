export { runJobsCommand, JOBS_HELP } from './jobs-commands.ts';
export { runBackupCommand, BACKUP_HELP } from './backup-commands.ts';
