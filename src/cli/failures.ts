/**
 * Why a CLI command failed, and the exit status a script sees: 1 when something asked for is
 * missing, set aside or could not be done (a run, metric, actor, scenario or index; a query that
 * was stopped); 2 when the request itself is wrong (bad arguments, SQL that is refused or does not
 * compile, a file the CLI refuses to touch). 0 only when the command did what was asked.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** Bad arguments: the usage text follows the message. */
export class UsageError extends CliFailure {
  constructor(message: string) {
    super(message, 2);
  }
}
