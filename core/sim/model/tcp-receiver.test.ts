import { describe, expect, it } from 'vitest';
import { ACK_DELAYED, ACK_DUP, ACK_NOW, TcpReceiver } from './tcp-receiver.js';

const MSS = 1448;
const afterQuick = (): TcpReceiver => {
  const t = new TcpReceiver(87380, MSS);
  t.quick = 0;
  return t;
};

describe('receiver ACK rule (__tcp_ack_snd_check)', () => {
  it('ACKs every second full-sized segment and delays the first', () => {
    const t = afterQuick();
    expect(t.onData(0, 1, MSS, false, MSS)).toBe(ACK_DELAYED);
    expect(t.onData(1, 1, MSS, false, MSS)).toBe(ACK_NOW);
    t.onAckSent();
    expect(t.onData(2, 1, MSS, false, MSS)).toBe(ACK_DELAYED);
  });

  it('ACKs every aggregate of at least 2 MSS at once (one ACK per aggregate)', () => {
    const t = afterQuick();
    expect(t.onData(0, 3, 3 * MSS, true, MSS)).toBe(ACK_NOW);
    t.onAckSent();
    expect(t.onData(3, 2, 2 * MSS, true, MSS)).toBe(ACK_NOW);
  });

  it('quick-ACK mode ACKs the first segments at once', () => {
    const t = new TcpReceiver(87380, MSS);
    expect(t.onData(0, 1, MSS, false, MSS)).toBe(ACK_NOW);
  });

  it('answers out-of-order data with a duplicate ACK and discards it', () => {
    const t = afterQuick();
    expect(t.onData(3, 1, MSS, false, MSS)).toBe(ACK_DUP);
    expect(t.rcvNxt).toBe(0);
    expect(t.oooDrops).toBe(1);
  });

  it('advertises rcvbuf minus unread data and asks for a window update after a large read', () => {
    const t = afterQuick();
    for (let i = 0; i < 50; i++) t.onData(i, 1, MSS, false, MSS);
    t.onAckSent();
    expect(t.window()).toBe(87380 - 50 * MSS);
    expect(t.onRead(50 * MSS)).toBe(true);
    expect(t.window()).toBe(87380);
  });

  it('without gso_size (lro_gso_size off) rcv_mss follows the aggregates: stretch ACKs, and an ACK when the reader drains a pushed queue', () => {
    const t = afterQuick();
    t.aggLen = true;
    // rcv_mss grows to the aggregate first, so the largest aggregate yet is not "more than one rcv_mss"
    expect(t.onData(0, 4, 4 * MSS, true, 4 * MSS)).toBe(ACK_DELAYED);
    t.onAckSent(); // the delayed-ACK timer
    expect(t.rcvMss).toBe(4 * MSS);
    // two smaller aggregates: not more than one rcv_mss apart each… but together more
    expect(t.onData(4, 2, 2 * MSS, true, 2 * MSS)).toBe(ACK_DELAYED);
    expect(t.onData(6, 3, 3 * MSS, true, 3 * MSS)).toBe(ACK_NOW);
    t.onAckSent();
    // a smaller skb marked the queue PUSHED: draining it sends the ACK the delayed timer would have
    expect(t.onData(9, 2, 2 * MSS, true, 2 * MSS)).toBe(ACK_DELAYED);
    expect(t.onRead(t.queued - MSS)).toBe(false);
    expect(t.onRead(MSS)).toBe(true);
    // two equal smaller skbs in a row bring rcv_mss down to them
    t.onAckSent();
    t.onData(11, 2, 2 * MSS, true, 2 * MSS);
    expect(t.rcvMss).toBe(2 * MSS);
    // with gso_size (the default) the same aggregates each trigger an ACK
    const g = afterQuick();
    expect(g.onData(0, 2, 2 * MSS, true, MSS)).toBe(ACK_NOW);
    g.onAckSent();
    expect(g.onData(2, 2, 2 * MSS, true, MSS)).toBe(ACK_NOW);
  });
});
