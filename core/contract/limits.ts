/**
 * Size limits, one place for all hosts and the renderer (which checks a file before sending it;
 * no imports here, so the renderer bundle does not pull in zod). A log upload is its raw bytes
 * (IPC passes them as they are; browser mode has a binary upload route) or, for scripts, their
 * base64 (4/3 of the file): logs up to 300 MiB either way. A .rxnb is JSON text carrying every run and the raw bytes of its logs;
 * export refuses to write one larger than import accepts. Over HTTP both files go by routes of their
 * own as raw bytes, so a JSON call's body is the largest notebook.save at most: 5,000 cells of
 * configuration and bounded outputs (an Import cell keeps 500 records, a sweep its points). The HTTP
 * host parses a JSON body on its one thread: 420 MiB had taken 2.2 s and 1.7 GB.
 */
export const MAX_UPLOAD_BYTES = 300 * 1024 * 1024;
export const MAX_UPLOAD_BASE64_CHARS = 400 * 1024 * 1024;
export const MAX_RXNB_CHARS = 256 * 1024 * 1024;
export const MAX_HTTP_BODY_BYTES = 64 * 1024 * 1024;

/**
 * One extra #SBATCH option as the API takes it (Run on: Slurm): a single --option[=value], no
 * spaces, since it is written into a job script. The notebook checks it before sending.
 */
export const SBATCH_OPTION = /^--[a-z][a-z-]*(=[A-Za-z0-9_.:,/@%+-]+)?$/;

/**
 * The most runs one sweep request may ask for (grid points × seeds). Planning looks up every run in the
 * store, and an unbounded request (1000 × 1000 values × 100 seeds) would keep the host busy for hours;
 * `rxlab sweep` on the command line has no such cap.
 */
export const MAX_SWEEP_RUNS = 20_000;
