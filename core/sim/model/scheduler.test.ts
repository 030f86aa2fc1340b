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
  it('equal priorities take turns when the running one has used up its slice (round robin after it)', () => {
    // busy guests running, the guest UNDER with work: the busy guests keep the core inside their slice…
    expect(pickVcpu(VCPU_HOG, false, true, PRI_UNDER, PRI_UNDER, 2, PRI_UNDER, false)).toBe(VCPU_HOG);
    // …and hand it on when it is up
    expect(pickVcpu(VCPU_HOG, false, true, PRI_UNDER, PRI_UNDER, 2, PRI_UNDER, true)).toBe(VCPU_GUEST);
    expect(pickVcpu(VCPU_GUEST, true, true, PRI_UNDER, PRI_UNDER, 2, PRI_UNDER, true)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_HOG, true, true, PRI_UNDER, PRI_UNDER, 2, PRI_UNDER, true)).toBe(VCPU_DOM0);
    // a slice up with no one else of that priority: it goes on running
    expect(pickVcpu(VCPU_HOG, false, true, PRI_UNDER, PRI_OVER, 2, PRI_UNDER, true)).toBe(VCPU_HOG);
  });
  it('dom0 first: dom0 runs ahead of the netserver guest whatever their credit, but meets busy guests by credit', () => {
    expect(pickVcpu(VCPU_GUEST, true, true, PRI_OVER, PRI_BOOST, 0, PRI_UNDER, false, true)).toBe(VCPU_DOM0);
    expect(pickVcpu(VCPU_GUEST, true, true, PRI_OVER, PRI_BOOST, 2, PRI_UNDER, false, true)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_HOG, true, true, PRI_UNDER, PRI_BOOST, 2, PRI_OVER, false, true)).toBe(VCPU_DOM0);
    // dom0 without work: the guest meets the busy guests by its own credit
    expect(pickVcpu(VCPU_HOG, false, true, PRI_OVER, PRI_BOOST, 2, PRI_UNDER, false, true)).toBe(VCPU_GUEST);
  });
  it('busy guests run only when no I/O domain of equal or higher priority has work', () => {
    expect(pickVcpu(VCPU_HOG, true, false, PRI_BOOST, PRI_UNDER, 2, PRI_UNDER)).toBe(VCPU_DOM0);
    expect(pickVcpu(VCPU_HOG, true, false, PRI_OVER, PRI_UNDER, 2, PRI_UNDER)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_DOM0, false, false, PRI_UNDER, PRI_UNDER, 1, PRI_OVER)).toBe(VCPU_HOG);
    expect(pickVcpu(VCPU_DOM0, false, false, PRI_UNDER, PRI_UNDER, 0, PRI_OVER)).toBe(VCPU_IDLE);
  });
});
