import type { Command } from 'commander';
import { VsaError } from '../../runner/errors.js';
import type { Cli } from '../program.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('cancel')
    .description('Ask a running run to stop, as Ctrl-C would; asked again, its running tasks are cut off')
    .argument('<run>', 'run id or a unique prefix of it')
    .addHelpText('after', '\nExamples:\n  vsa cancel 3f2a')
    .action(cli.action(async (_ctx, ref: string) => {
      const [{ dataDir, openStore }, { detectActor }] = await Promise.all([import('../../runner/store/index.js'), import('../origin.js')]);
      const store = openStore(dataDir());
      try {
        const run = store.history.get(ref);
        const r = store.runs.requestCancel(run.id, detectActor());
        // Exit 1, as any command that could not do what it was asked: the run is past cancelling.
        if (!r.asked) throw new VsaError(`${r.why}: nothing to cancel`, 1);
        process.stdout.write(
          r.requests === 1
            ? `asked run ${run.id} to stop: no new tasks start; it ends cancelled within a few seconds of its running tasks\n`
            : `asked run ${run.id} again: its running tasks are cut off\n`,
        );
      } finally {
        store.close();
      }
      return 0;
    }));
}
