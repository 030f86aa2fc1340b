/**
 * A real single-node Slurm cluster for tests (recipe: ../shared/brief/slurm-local.md): Debian's
 * slurm-wlm + munge, no systemd; munged, slurmctld and slurmd started as daemons with their own
 * config, state and sockets under one scratch directory, on free ports, and stopped by the PIDs in
 * their pid files. Needs root (munged and slurmd run as root here) and, if Slurm is not installed,
 * apt-get.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { which } from './slurm.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', env: env ?? process.env, timeout: timeoutMs });
}

/**
 * Makes sure slurmctld, slurmd, sbatch and munged exist, installing slurm-wlm and munge with apt-get
 * when possible. Returns undefined when ready, else why not (the test prints it when it skips).
 */
export function ensureSlurmInstalled(log: (m: string) => void = () => undefined): string | undefined {
  const need = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'munged', 'mungekey'];
  const missing = (): string[] => need.filter((c) => !which(c));
  if (missing().length === 0) return undefined;
  if (process.platform !== 'linux') return `Slurm is not installed (${missing().join(', ')} missing) and this is not Linux`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return `Slurm is not installed (${missing().join(', ')} missing) and installing it needs root`;
  if (!which('apt-get')) return `Slurm is not installed (${missing().join(', ')} missing) and apt-get is not available`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): SpawnSyncReturns<string> => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'slurm-wlm', 'munge'], env, 300_000);
  log('installing slurm-wlm and munge with apt-get');
  let r = install();
  if (r.status !== 0) {
    log('apt-get install failed; running apt-get update and retrying');
    run('apt-get', ['update', '-q'], env, 300_000);
    r = install();
  }
  if (r.status !== 0) return `apt-get install slurm-wlm munge failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  const still = missing();
  return still.length ? `after installing slurm-wlm and munge, still missing: ${still.join(', ')}` : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalCluster {
  dir: string;
  /** Environment for Slurm clients (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  pidFiles: string[];
  stop(): Promise<void>;
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the daemons by the PIDs in their pid files (slurmd, slurmctld, munged), waiting for each. */
export async function stopByPidFiles(pidFiles: string[], timeoutMs = 30_000): Promise<void> {
  for (const f of pidFiles) {
    const pid = readPid(f);
    if (pid === undefined || !alive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    const t0 = Date.now();
    while (alive(pid) && Date.now() - t0 < timeoutMs) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** Starts munged + slurmctld + slurmd under `dir` and waits for the node to be idle. */
export async function startLocalCluster(dir: string, log: (m: string) => void = () => undefined): Promise<LocalCluster> {
  for (const d of ['etc', 'state', 'spool', 'log', 'run', 'munge']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'munge'), 0o755);
  // munged refuses a socket whose every parent directory is not executable by all; mkdtemp makes
  // 0700 directories, so open up the scratch directories below the system temp dir (not above).
  const tmp = resolve(tmpdir());
  for (let d = resolve(dir); d.startsWith(tmp + sep); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) chmodSync(d, 0o755);
  }
  const conf = join(dir, 'etc', 'slurm.conf');
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const m = join(dir, 'munge');
  const pidFiles = [join(dir, 'run', 'slurmd.pid'), join(dir, 'run', 'slurmctld.pid'), join(m, 'munged.pid')];
  const cluster: LocalCluster = { dir, env, pidFiles, stop: () => stopByPidFiles(pidFiles) };
  const must = (what: string, r: SpawnSyncReturns<string>): void => {
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error ?? '')).trim()}`);
  };
  try {
    if (!existsSync(join(m, 'munge.key'))) must('mungekey', run('mungekey', ['--create', `--keyfile=${join(m, 'munge.key')}`]));
    must(
      'munged',
      run('munged', [`--key-file=${join(m, 'munge.key')}`, `--socket=${join(m, 'munge.socket.2')}`, `--pid-file=${join(m, 'munged.pid')}`, `--log-file=${join(m, 'munged.log')}`, `--seed-file=${join(m, 'munged.seed')}`]),
    );
    const [ctldPort, dPort] = [await freePort(), await freePort()];
    writeFileSync(
      conf,
      `ClusterName=rxlabtest
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${dPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=${join(m, 'munge.socket.2')}
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${pidFiles[1]}
SlurmdPidFile=${pidFiles[0]}
SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}
SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=300
SchedulerParameters=batch_sched_delay=0
NodeName=localhost CPUs=${availableParallelism()} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`,
    );
    must('slurmctld', run('slurmctld', [], env));
    must('slurmd', run('slurmd', ['-N', 'localhost'], env));
    const t0 = Date.now();
    for (;;) {
      const r = run('sinfo', ['-h', '-o', '%t'], env, 10_000);
      if (r.stdout.trim() === 'idle') break;
      if (Date.now() - t0 > 30_000) throw new Error(`the node did not become idle in 30 s (sinfo: ${r.stdout.trim() || r.stderr.trim()}); see ${join(dir, 'log')}`);
      await sleep(250);
    }
    log(`slurm up in ${Date.now() - t0} ms (ports ${ctldPort}/${dPort})`);
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** Waits until the job (all array tasks) has left the queue. */
export async function waitForJob(jobId: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const r = run('squeue', ['-h', '-j', jobId], env, 10_000);
    if (r.status === 0 && r.stdout.trim() === '') return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still queued/running after ${timeoutMs} ms:\n${r.stdout}`);
    await sleep(300);
  }
}
