import type { CommandSpec } from './cli-types.js';
import { logCommands } from './logs/commands.js';
import { reportCommands } from './report/commands.js';
import { benchCommands } from './sim/bench-commands.js';
import { simCommands } from './sim/commands.js';
import { sweepCommands } from './sweep/commands.js';
import { dbCommand } from './store/commands.js';
import { runsCommand } from './store/runs-command.js';

/** Subcommands contributed by each feature area (simulation, importers, reports, sweeps…). */
export const commandModules: CommandSpec[] = [...simCommands, ...logCommands, ...reportCommands, ...sweepCommands, ...benchCommands, runsCommand, dbCommand];
