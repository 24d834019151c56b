// `npm run migrate [-- up|down [count]]`: runs the SQL migrations against DATABASE_URL
// (the app runs them at every start anyway; this is for an operator's deliberate step, e.g. a rollback).
import { runMigrations } from '../src/db/migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('migrate: set DATABASE_URL to the database to migrate (npm start migrates its local one by itself)\n');
    process.exit(2);
  }
  const [direction = 'up', count] = process.argv.slice(2);
  if (direction !== 'up' && direction !== 'down') {
    process.stderr.write(`migrate: the direction is up or down, not '${direction}'\n`);
    process.exit(2);
  }
  const steps = count === undefined ? undefined : Number(count);
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
    process.stderr.write(`migrate: the count is a whole number of migrations, not '${count}'\n`);
    process.exit(2);
  }
  // Down without a count would undo every migration: one step unless more are asked for.
  process.stdout.write(`${await runMigrations(url, direction, steps ?? (direction === 'down' ? 1 : undefined))}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${(err as Error).message}\n`);
  process.exit(1);
});
