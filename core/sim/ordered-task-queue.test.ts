import { describe, expect, it } from 'vitest';
import type { TaskQueue } from 'piscina';
import { OrderedTaskQueue } from './ordered-task-queue.js';

type Task = Parameters<TaskQueue['push']>[0];
const t = (taskId: number, task = 'sim', small = false): Task => ({ taskId, task: { task, req: {}, small } }) as unknown as Task;
const ids = (q: OrderedTaskQueue): string[] => {
  const out: string[] = [];
  for (let x = q.shift(); x !== null; x = q.shift()) {
    const y = x as unknown as { taskId: number; task: { task: string } };
    out.push(`${y.task.task}:${y.taskId}`);
  }
  return out;
};

describe('OrderedTaskQueue', () => {
  it('hands out tasks by submission id whatever order piscina pushes and unshifts them in', () => {
    const q = new OrderedTaskQueue();
    q.push(t(3));
    q.unshift(t(5)); // piscina's "put back at the head" of a new task (stricterFIFO) must not jump the queue
    q.push(t(1));
    q.push(t(4));
    q.unshift(t(2)); // a task taken and put back goes where it was
    expect(q.size).toBe(5);
    expect(ids(q)).toEqual(['sim:1', 'sim:2', 'sim:3', 'sim:4', 'sim:5']);
    expect(q.size).toBe(0);
    expect(q.shift()).toBeNull();
  });

  it('puts every other kind of task ahead of queued simulations, each class in submission order', () => {
    const q = new OrderedTaskQueue();
    for (const [id, name] of [[1, 'sim'], [2, 'sim'], [3, 'store'], [4, 'mm1'], [5, 'import'], [6, 'sim']] as const) q.push(t(id, name));
    expect(ids(q)).toEqual(['store:3', 'import:5', 'sim:1', 'sim:2', 'mm1:4', 'sim:6']);
  });

  it('runs of a small request (a cell’s run) go ahead of a large job’s queued runs, each in the order asked', () => {
    const q = new OrderedTaskQueue();
    for (let id = 1; id <= 5; id++) q.push(t(id)); // a reproduction's hundreds, queued first
    q.push(t(6, 'sim', true));
    q.push(t(7, 'store'));
    q.push(t(8, 'sim', true));
    expect(ids(q)).toEqual(['store:7', 'sim:6', 'sim:8', 'sim:1', 'sim:2', 'sim:3', 'sim:4', 'sim:5']);
  });

  it('removes an aborted task from anywhere and keeps the order of the rest', () => {
    const q = new OrderedTaskQueue();
    const tasks = Array.from({ length: 40 }, (_, i) => t(40 - i));
    tasks.forEach((x) => q.push(x));
    for (const k of [0, 7, 13, 39, 20]) q.remove(tasks[k] as Task);
    expect(q.size).toBe(35);
    const left = ids(q).map((s) => Number(s.split(':')[1]));
    const want = Array.from({ length: 40 }, (_, i) => i + 1).filter((id) => ![40, 33, 27, 1, 20].includes(id));
    expect(left).toEqual(want);
    q.remove(t(99)); // held in piscina's skip queue, not here: nothing to do
    expect(q.size).toBe(0);
  });
});
