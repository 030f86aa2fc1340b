import { describe, expect, it } from 'vitest';
import { pickVcpu, PRI_BOOST, PRI_OVER, PRI_UNDER, VCPU_DOM0, VCPU_GUEST, VCPU_HOG, VCPU_IDLE } from './scheduler.js';

describe('credit-scheduler vCPU choice', () => {
  it('a BOOSTed waker preempts a running vCPU that is not BOOSTed', () => {
    expect(pickVcpu(VCPU_GUEST, true, true, PRI_BOOST, PRI_UNDER, 0, PRI_UNDER)).toBe(VCPU_DOM0);
  });
  it('equal priority does not preempt (both BOOST: dom0 waits for the guest to block)', () => {
    expect(pickVcpu(VCPU_GUEST, true, true, PRI_BOOST, PRI_BOOST, 0, PRI_UNDER)).toBe(VCPU_GUEST);
  });
  it('after a block, the highest priority runs; dom0 wins ties', () => {
    expect(pickVcpu(VCPU_IDLE, true, true, PRI_UNDER, PRI_UNDER, 0, PRI_UNDER)).toBe(VCPU_DOM0);
    expect(pickVcpu(VCPU_IDLE, true, true, PRI_OVER, PRI_UNDER, 0, PRI_UNDER)).toBe(VCPU_GUEST);
  });
  it('busy guests run only when no I/O domain of equal or higher priority has work', () => {
    expect(pickVcpu(VCPU_HOG, true, false, PRI_BOOST, PRI_UNDER, 2, PRI_UNDER)).toBe(VCPU_DOM0);
    expect(pickVcpu(VCPU_HOG, true, false, PRI_OVER, PRI_UNDER, 2, PRI_UNDER)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_DOM0, false, false, PRI_UNDER, PRI_UNDER, 1, PRI_OVER)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_DOM0, false, false, PRI_UNDER, PRI_UNDER, 0, PRI_OVER)).toBe(VCPU_IDLE);
  });
});
