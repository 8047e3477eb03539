/**
 * Named places where a test may kill the process (`ALLIANCE_FAULT_AT=name`), to prove that a run
 * killed there can be run again safely. SIGKILL, not an exception: nothing gets to clean up, exactly
 * as when cron's machine loses power. Without the variable this does nothing.
 */
export function faultPoint(name: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.ALLIANCE_FAULT_AT === name) process.kill(process.pid, 'SIGKILL')
}
