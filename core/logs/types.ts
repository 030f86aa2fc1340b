/**
 * The JSON shape of an imported log (issue 4 §7). `rxlab import --json` prints exactly this, the
 * store keeps it, and the notebook renders it. Field names are snake_case because the shape is a
 * documented interchange format, not an internal object.
 */

export type Tool = 'netperf' | 'oprofile' | 'perf' | 'iperf3' | 'flent';

/** Where a profile row's cycles were spent (see oprofile/domains.ts for the rule). */
export type Domain = 'hypervisor' | 'driver' | 'guest' | `guest${number}` | 'native';

/**
 * netperf -D interim results (and iperf3 intervals), stored as columns: long demo runs print one
 * line per interval, and parallel number arrays take a fifth of the memory of one object per line.
 * Entry i is throughput[i] (in throughput_units) over seconds[i], ending at ending_at[i] (epoch s,
 * netperf 2.6+; iperf3: seconds since start) when printed.
 */
export interface InterimResults {
  throughput_units: string;
  throughput: number[];
  seconds: number[];
  ending_at?: number[];
  /** Line of the first interim result. */
  line: number;
}

export interface ConfidenceReport {
  /** From the banner, e.g. "+/-2.5% @ 99% conf." */
  requested?: string;
  /** The `!!! Confidence intervals:` block, metric name → printed percent. */
  achieved_pct?: Record<string, number>;
  warning?: boolean;
}

/** One run of a traffic tool (netperf, iperf3, flent). Numbers are parsed from the printed text. */
export interface LogRecord {
  /** 1-based line where the run starts (banner, or first data row when there is none). */
  line: number;
  /** e.g. TCP_STREAM, TCP_MAERTS, UDP_STREAM, TCP_RR, UDP_RR, TCP_CRR, SCTP_STREAM_MANY, OMNI. */
  test: string;
  banner?: string;
  migrated?: boolean;
  family?: 'AF_INET' | 'AF_INET6';
  remote_host?: string;
  throughput?: number;
  /** The throughput exactly as printed, so "2997.84" is never re-rounded. */
  throughput_text?: string;
  throughput_units?: string;
  transactions_per_s?: number;
  elapsed_s?: number;
  message_bytes?: number;
  request_bytes?: number;
  response_bytes?: number;
  local_send_socket_bytes?: number;
  local_recv_socket_bytes?: number;
  remote_send_socket_bytes?: number;
  remote_recv_socket_bytes?: number;
  /** UDP_STREAM: messages the sender sent OK / with errors; the receiver's count and rate. */
  messages_ok?: number;
  messages_errors?: number;
  remote_messages_ok?: number;
  remote_throughput?: number;
  remote_elapsed_s?: number;
  cpu_local_pct?: number;
  cpu_remote_pct?: number;
  /** netperf's CPU measurement method letter(s), e.g. "S", "I", "CC". */
  cpu_method_local?: string;
  cpu_method_remote?: string;
  service_demand_local?: number;
  service_demand_remote?: number;
  /** e.g. "us/KB" or "us/Tr". */
  service_demand_units?: string;
  confidence?: ConfidenceReport;
  interim?: InterimResults;
  /** netperf -B tag, or trailing free text on a -P 0 row. */
  tag?: string;
  /** Other named values (omni -o/-k/-O fields, -v 2 blocks, iperf3/flent extras), as printed. */
  extra?: Record<string, string | number>;
  histogram?: Record<string, number[]>;
  /** Set when the run failed or was cut off; the other fields hold what was printed before. */
  error?: string;
}

export interface ProfileEvent {
  name: string;
  /** Events per sample ("count N"), or perf's approximate total event count. */
  count: number | null;
  unit_mask: string | null;
  description?: string;
  /** perf: "# Samples: 8K" expanded (K/M/G = 10^3/10^6/10^9, as perf prints them). */
  samples?: number;
  samples_text?: string;
  /** perf: "# Event count (approx.)": events in the whole profile, not per sample. */
  total_count?: number;
  /**
   * perf report -n: Σ of the Samples column over every row (kept or not), exact where the header's
   * "# Samples: 8K" is rounded. Absent without -n (perf then prints percentages only).
   */
  row_samples?: number;
}

export type RowRole = 'primary' | 'self' | 'caller' | 'callee' | 'child';

/**
 * opreport's "diff %" column of a differential profile (`opreport -l { first } { second }`): the
 * relative change of the symbol's share of the profile from the first to the second profile, as a
 * number (printed with a sign, possibly in exponent form, or as a bare "0"), or the printed marker when the symbol is in only
 * one profile: "+++" new in the second, "---" gone from it.
 */
export type DiffPercent = number | '+++' | '---';

export interface ProfileRow {
  /**
   * One entry per column group (event, or thread with -t). In a differential profile these are the
   * second profile's samples, except on rows whose diff_percent is "---": opreport prints the first
   * profile's count there, since the symbol has none in the second.
   */
  samples: number[];
  /** null only in a differential profile, where opreport printed "---" (no share of the second profile). */
  percent: Array<number | null>;
  /** Differential profiles only: one entry per column group, as printed. */
  diff_percent?: DiffPercent[];
  image: string | null;
  app: string | null;
  symbol: string | null;
  vma: string | null;
  domain: Domain;
  /** 0 for top-level rows; nested hierarchical images and call-graph entries are deeper. */
  depth: number;
  role: RowRole;
  line: number;
}

export interface DomainTotal {
  domain: Domain;
  /** Σ samples of top-level rows, one per column group. */
  samples: number[];
}

export interface Profile {
  /** 1-based line where the profile starts. */
  line: number;
  cpu: string | null;
  cpu_mhz: number | null;
  events: ProfileEvent[];
  /** Names of the column groups (event names, or "thread N"). */
  columns: string[];
  rows: ProfileRow[];
  /** Σ samples per domain over ALL top-level rows, including rows beyond the retention cap. */
  domain_totals: DomainTotal[];
  /** Number of top-level rows read (may exceed rows.length when the cap was hit). */
  row_count: number;
  /**
   * Set on opreport differential output (two profiles compared, a "diff %" column per group).
   * domain_totals then hold the second profile's samples only (rows marked "---" are left out), and
   * the profile describes a change between two runs, not one run: measured tables refuse it.
   */
  differential?: true;
  /** perf: which report of the file (1, 2, … by "# captured on" headers) the section belongs to; absent without headers. */
  report?: number;
}

export interface ImportDoc {
  tool: Tool;
  format: string;
  warnings: string[];
  records: LogRecord[];
  profiles: Profile[];
}

/**
 * Overrides the xenoprof image → domain rule. `pattern` is a JavaScript regular expression
 * (source text) tested against the image name's last path component; `domain` may use $1 for a
 * captured domain number, e.g. { pattern: "^dom(\\d+)-", domain: "guest$1" }.
 */
export interface DomainRule {
  pattern: string;
  domain: string;
}
