// Executors: how DeskStack runs commands on a host (over SSH or on this computer).
export type { ExecOptions, ExecResult, ExecStream, Executor } from './executor';
export { LocalExecutor } from './local-executor';
export { SshExecutor, type SshExecutorOptions } from './ssh-executor';
export { fingerprintOf, generateDeskKeyPair, keyTypeOf, normalizeFingerprint, probeHostKey, type DeskKeyPair, type ProbedHostKey } from './host-key';
export { quoteArgv, quoteWord } from './shell-quote';
