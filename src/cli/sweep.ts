// `npm run sweep -- <options>`: see sweepCommand.ts and `--help`.
import { runCellsHere, runSweepCommand } from './sweepCommand';
import { CHILD_FLAG, serveCells } from './sweepProcesses';

if (process.argv[2] === CHILD_FLAG) serveCells(runCellsHere);
else {
  runSweepCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
