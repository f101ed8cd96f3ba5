// `npm run train -- <options>`: see trainCommand.ts and `--help`.
import { runTrainCommand } from './trainCommand';

runTrainCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
