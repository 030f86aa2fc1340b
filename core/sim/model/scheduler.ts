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
 * - Equal priorities: the running vCPU keeps the core for its 30 ms time slice (csched_schedule's
 *   CSCHED_MSECS_PER_TSLICE); when the slice is up, runq_insert puts it behind every runnable vCPU of
 *   its priority, so the next of them in turn (dom0 → guest → busy guests → dom0) takes the core.
 *   Without the slice, whoever ran when both were OVER kept the core for good: busy guests got 0 %
 *   or 100 % of the CPU depending on the seed. After a block, dom0 goes first (its IRQ wake-up
 *   precedes the guest's notification), then the netserver guest, then busy guests.
 */
export const VCPU_IDLE = -1;
export const VCPU_DOM0 = 0;
export const VCPU_GUEST = 1;
export const VCPU_HOG = 2;

export const PRI_OVER = 0;
export const PRI_UNDER = 1;
export const PRI_BOOST = 2;

export const CREDITS_PER_TICK = 100;
/** csched's time slice (s). */
export const TSLICE_S = 0.03;
export const CREDITS_PER_ACCT = 300;

/**
 * @param cur vCPU that ran the last work item (VCPU_IDLE if none)
 * @param work0 / workG whether dom0 / the guest have runnable work
 * @param pri0 / priG / priH priorities of dom0, guest and the busy guests
 * @param hogs number of busy guests (always runnable)
 * @param sliceUp whether `cur` has used up its time slice
 * @param dom0First dom0 runs ahead of the netserver guest whenever it has work (the guest waits for
 *   what dom0 delivers), and the two compete with the busy guests by the credit priority of the one
 *   that would run. (dom0 used to rank above every priority: against busy guests it then never paid
 *   for its CPU time, so the busy guests got only what the I/O pair left — none at saturation — or,
 *   once the guest happened to go OVER, most of the core: 0 % or 80 % by seed.)
 */
export function pickVcpu(
  cur: number,
  work0: boolean,
  workG: boolean,
  pri0: number,
  priG: number,
  hogs: number,
  priH: number,
  sliceUp = false,
  dom0First = false,
): number {
  const p0 = work0 ? pri0 : -1;
  const pg = workG && !(dom0First && work0) ? priG : -1;
  const ph = hogs > 0 ? priH : -1;
  const curPri = cur === VCPU_DOM0 ? p0 : cur === VCPU_GUEST ? pg : cur === VCPU_HOG ? ph : -1;
  const best = Math.max(p0, pg, ph);
  if (best < 0) return VCPU_IDLE;
  if (curPri >= 0 && curPri >= best) {
    if (!sliceUp) return cur;
    // round robin among the runnable vCPUs of this priority, starting after the current one
    const pri = [p0, pg, ph];
    for (let k = 1; k < 3; k++) {
      const v = (cur + k) % 3;
      if (pri[v] === best) return v;
    }
    return cur;
  }
  if (p0 === best) return VCPU_DOM0;
  if (pg === best) return VCPU_GUEST;
  return VCPU_HOG;
}
