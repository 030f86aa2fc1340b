import type { CommandSpec } from './cli-types.js';

/** Subcommands contributed by each feature area (simulation, importers, reports, sweeps…). */
export const commandModules: CommandSpec[] = [];
