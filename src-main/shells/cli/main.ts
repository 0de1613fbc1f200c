import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isApiError } from '../../contract/errors.js';
import { ConfigError } from '../../core/config/configError.js';
import { describeError, exitCodeFor, exitCodes } from './messages.js';
import { runView, type ViewOptions } from './runView.js';
import { dashboardView, queueView, taskView } from './views.js';
import { runServe, type ServeOptions } from './serve.js';
import { runTasks, type TasksOptions } from './tasks.js';
import { runOpen, systemOpenDeps } from './open.js';
import { runTaskActionCommand, type TaskActionOptions } from './tasksAction.js';
import { taskListStates } from '../../contract/taskList.js';
import { runCheckCommand, type CheckOptions } from './check.js';
import { runAlertsCommand } from './alertsCommand.js';

/** The package's version (src-main/shells/cli and dist/shells/cli both sit three levels down). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const frameworks = ['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq'];

const exitHelp = `
Connections: --redis URL and --rabbitmq URL (repeatable), else --config FILE, else REDIS_URL /
CELERY_BROKER_URL / RQ_REDIS_URL, else the tray app's saved connections, else
redis://127.0.0.1:6379 (and amqp://guest:guest@127.0.0.1:5672, shown only if it answers).
A Redis URL without a database number watches every database that holds keys.
A RabbitMQ URL's path is the vhost (%2F or none for /); its management API is --rabbitmq-api,
by default http://HOST:15672 with the same user; without it, AMQP reads the queues named in
--config (partial figures).

Exit codes: 0 printed; 1 queue or task not found; 2 bad usage or configuration;
3 a connection could not be read (after printing the others).`;

function connectionOptions(command: Command): Command {
  return command
    .option('--redis <url>', 'Redis to watch: redis[s]://[user:password@]host:port[/db] (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--rabbitmq <url>', 'RabbitMQ to watch: amqp[s]://[user:password@]host:port[/vhost] (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--rabbitmq-api <url>', 'its management API, http[s]://[user:password@]host:port (default: the AMQP host on port 15672, same user; one per --rabbitmq, in order)', (v: string, all: string[]) => [...all, v], [])
    .option('--config <file>', 'connections from a JSON or YAML file (the tray app\'s schema)')
    .option('--celery-backend <url>', 'Celery result backend, when it is not the broker\'s own database');
}

function viewOptions(command: Command, defaultWindow: string): Command {
  return connectionOptions(command)
    .option('--json', 'print the JSON contract and nothing else')
    .option('--watch', 'redraw after every poll until interrupted')
    .option('--window <duration>', 'listen this long for heartbeats and events before printing', defaultWindow)
    .option('--interval <duration>', 'poll interval with --watch (default 5s)')
    .addHelpText('after', exitHelp);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('task-status')
    .description('Watch Celery, RQ, BullMQ, Sidekiq and RabbitMQ queues on Redis and RabbitMQ: figures, workers and tasks.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  viewOptions(program.command('dashboard').description('every connection, queue and worker'), '5s')
    .option('--connection <id>', 'only this connection')
    .action(async (o: ViewOptions & { connection?: string }) => setExit(await runView(o, '5s', dashboardView(!!o.json, o.connection))));

  viewOptions(program.command('queue').description('one queue by name, on every connection and framework'), '5s')
    .requiredOption('--name <name>', 'the queue name (exact)')
    .addOption(new Option('--framework <framework>', 'only this framework').choices(frameworks))
    .option('--connection <id>', 'only this connection')
    .action(async (o: ViewOptions & { name: string; framework?: 'rq'; connection?: string }) =>
      setExit(await runView(o, '5s', queueView(!!o.json, { name: o.name, framework: o.framework, connection: o.connection }))));

  viewOptions(program.command('task').description('one task by id: state, arguments, times, result, error'), '0s')
    .requiredOption('--id <id>', 'the task id')
    .addOption(new Option('--framework <framework>', 'only this framework').choices(frameworks))
    .option('--connection <id>', 'only this connection')
    .action(async (o: ViewOptions & { id: string; framework?: 'rq'; connection?: string }) =>
      setExit(await runView(o, '0s', taskView(!!o.json, { id: o.id, framework: o.framework, connection: o.connection }))));

  connectionOptions(program.command('tasks').description('one page of a queue\'s tasks in one state, optionally searched'))
    .requiredOption('--queue <name>', 'the queue name (exact)')
    .addOption(new Option('--state <state>', 'which list').choices([...taskListStates]).makeOptionMandatory())
    .option('--search <text>', 'only tasks whose id, name or arguments contain this text (a bounded search)')
    .option('--offset <n>', 'first entry to show (0 = the first)')
    .option('--limit <n>', 'entries per page (1..500, default 50)')
    .addOption(new Option('--framework <framework>', 'only this framework').choices(frameworks))
    .option('--connection <id>', 'only this connection')
    .option('--json', 'print { pages: [TaskListPage] } and nothing else')
    .addHelpText('after', exitHelp)
    .action(async (o: TasksOptions) => setExit(await runTasks(o)));

  connectionOptions(program.command('check').description('evaluate the alert rules once, exit with the level (monitoring-plugin convention)'))
    .option('--json', 'print the CheckResult JSON and nothing else')
    .option('--window <duration>', 'poll and evaluate this long before the verdict (a rule\'s `for` can elapse within it)', '5s')
    .option('--alert-state <file>', 'carry alert state across runs in this file (for cron)')
    .option('--alert-log <file>', 'append every alert transition to this file (JSON lines)')
    .addHelpText('after', `
Rules: the defaults, edited and extended by the rules: list of --config FILE (else of the tray
app's config file). Exit codes: 0 ok; 1 warning; 2 error, critical or emergency (an unreachable
broker included), or bad usage; 3 unknown (data stale or nothing could be evaluated).`)
    .action(async (o: CheckOptions) => setExit(await runCheckCommand(o)));

  connectionOptions(program.command('alerts').description('evaluate the alert rules, then list firing, pending and recently resolved alerts'))
    .option('--json', 'print the CheckResult JSON and nothing else')
    .option('--window <duration>', 'poll and evaluate this long before listing', '5s')
    .option('--alert-state <file>', 'read and keep alert state in this file (shows earlier runs\' alerts too)')
    .option('--alert-log <file>', 'append every alert transition to this file (JSON lines)')
    .addHelpText('after', exitHelp)
    .action(async (o: CheckOptions) => setExit(await runAlertsCommand(o)));

  for (const action of ['retry', 'delete', 'purge'] as const) {
    const command = connectionOptions(program.command(action).description(action === 'purge'
      ? 'delete every waiting task of a queue (needs readOnly: false in the config, and --yes)'
      : `${action} one task (needs readOnly: false in the config, and --yes)`))
      .requiredOption('--queue <name>', 'the queue name (exact)');
    if (action !== 'purge') command.requiredOption('--id <id>', 'the task id');
    command
      .addOption(new Option('--framework <framework>', 'only this framework').choices(frameworks))
      .option('--connection <id>', 'only this connection')
      .option('--yes', 'confirm the write')
      .option('--json', 'print the TaskActionResult')
      .action(async (o: TaskActionOptions) => setExit(await runTaskActionCommand(action, o)));
  }

  program.command('open').description('show a place in the running tray app (started if none runs): open queue --name X | open task --id Y | open dashboard|alerts|settings')
    .argument('<place>', 'queue, task, dashboard, alerts or settings')
    .option('--name <name>', 'the queue (with open queue)')
    .option('--id <id>', 'the task id (with open task)')
    .addOption(new Option('--framework <framework>', 'the queue\'s or task\'s framework').choices(frameworks))
    .option('--connection <id>', 'the connection')
    .action(async (place: string, o: { name?: string; id?: string; framework?: string; connection?: string }) => {
      const args = [place, ...Object.entries(o).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, String(v)]))];
      setExit(await runOpen(args, systemOpenDeps()));
    });

  connectionOptions(program.command('serve').description('the web dashboard on this machine'))
    .option('--port <port>', 'port to listen on (0: any free port)', '7788')
    .option('--host <host>', 'address to bind; not loopback only with --token', '127.0.0.1')
    .option('--token <token>', 'require this token (needed for a non-loopback --host)')
    .option('--interval <duration>', 'poll interval (default 5s)')
    .option('--history <file>', 'keep history in this SQLite file (default: history.db in the tray app\'s data folder)')
    .option('--no-history', 'keep no history (the charts say so)')
    .action(async (o: ServeOptions) => setExit(await runServe(o)));

  return program;
}

/** parse → run → print → exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.printed;
  const program = buildProgram((code) => { exitCode = code; });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return exitCodes.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : exitCodes.usage;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`task-status: ${describeError({ code: error.code, detail: error.detail, connection: error.connection })}\n`);
      return exitCodeFor(error.code);
    }
    if (isApiError(error)) {
      process.stderr.write(`task-status: ${describeError(error)}\n`);
      return exitCodeFor(error.code);
    }
    process.stderr.write(`task-status: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 70;
  }
}
