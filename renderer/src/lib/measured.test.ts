import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the notebook must take the backend's cycle events
import { isCycleEvent as backendIsCycleEvent } from '../../../core/logs/measured/tables.js';
import { isCycleEvent } from './measured.js';

describe('the notebook’s cycle events', () => {
  it('knows the same cycle events as the backend', () => {
    for (const e of ['CPU_CLK_UNHALTED', 'GLOBAL_POWER_EVENTS', 'cpu_clk_unhalted', 'CYCLES', 'cycles:pp', 'cpu-clock', 'BUS_IO_WAIT', 'INSTRUCTIONS', 'stalled-cycles-backend', 'bus-cycles']) {
      expect(isCycleEvent(e), e).toBe(backendIsCycleEvent(e));
    }
  });
});
