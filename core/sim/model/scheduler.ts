/**
 * Which vCPU gets the one core next — a reduced Xen 3.1 credit scheduler (sched_credit.c).
 *
 * - Priorities: BOOST (2) > UNDER (1, credit ≥ 0) > OVER (0, credit < 0).
 * - Credit is debited by sampling: the vCPU found running at a 10 ms tick pays a whole tick
 *   (100 credits) and loses BOOST; every 30 ms each vCPU earns 300 / (number of vCPUs) credits,
 *   clamped to ±300.
 * - A vCPU woken from blocked gets BOOST only if it is UNDER.
 * - The running vCPU is preempted at the next scheduling point only by a vCPU of strictly higher
 *   priority (the waker tickles only then). Scheduling points are the ends of work items, standing
 *   in for Xen's immediate tickle. Most items take a few µs; the guest's copy to user space takes
 *   up to 23 µs (APP_CHUNK in receive-path.ts), which delays dom0 after an IRQ and so adds to the
 *   frames each poll finds.
 * - Equal priorities: the running vCPU keeps the core; after a block, dom0 goes first (its IRQ
 *   wake-up precedes the guest's notification), then the netserver guest, then busy guests.
 */
export const VCPU_IDLE = -1;
export const VCPU_DOM0 = 0;
export const VCPU_GUEST = 1;
export const VCPU_HOG = 2;

export const PRI_OVER = 0;
export const PRI_UNDER = 1;
export const PRI_BOOST = 2;

export const CREDITS_PER_TICK = 100;
export const CREDITS_PER_ACCT = 300;

/**
 * @param cur vCPU that ran the last work item (VCPU_IDLE if none)
 * @param work0 / workG whether dom0 / the guest have runnable work
 * @param pri0 / priG / priH priorities of dom0, guest and the busy guests
 * @param hogs number of busy guests (always runnable)
 */
export function pickVcpu(
  cur: number,
  work0: boolean,
  workG: boolean,
  pri0: number,
  priG: number,
  hogs: number,
  priH: number,
): number {
  const p0 = work0 ? pri0 : -1;
  const pg = workG ? priG : -1;
  const ph = hogs > 0 ? priH : -1;
  const curPri = cur === VCPU_DOM0 ? p0 : cur === VCPU_GUEST ? pg : cur === VCPU_HOG ? ph : -1;
  const best = Math.max(p0, pg, ph);
  if (best < 0) return VCPU_IDLE;
  if (curPri >= 0 && curPri >= best) return cur;
  if (p0 === best) return VCPU_DOM0;
  if (pg === best) return VCPU_GUEST;
  return VCPU_HOG;
}
