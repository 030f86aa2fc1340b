import { describe, expect, it } from 'vitest';
import { displayNumber, exactTitle, recordNumber } from './display-number.js';

describe('numbers shown without floating-point noise', () => {
  it('up to six significant digits, trailing zeros trimmed, whole numbers and integer digits kept', () => {
    expect(displayNumber(2.1950000000000003)).toBe('2.195');
    expect(displayNumber(8.780000000000001)).toBe('8.78');
    expect(displayNumber(99.53000000000073)).toBe('99.53');
    expect(displayNumber(0.1 + 0.2)).toBe('0.3');
    expect(displayNumber(1 / 3)).toBe('0.333333');
    expect(displayNumber(0.000123456789)).toBe('0.000123457');
    expect(displayNumber(1234567)).toBe('1234567');
    expect(displayNumber(941503384.50775337)).toBe('941503385');
    expect(displayNumber(-2.1950000000000003)).toBe('-2.195');
    expect(displayNumber(Number.NaN)).toBe('NaN');
  });
  it('a netperf record shows the log’s own text; a flent or iperf3 record its computed value cleaned', () => {
    expect(recordNumber('netperf', 2997.84, '2997.84')).toBe('2997.84');
    expect(recordNumber('netperf', 10, '10.00')).toBe('10.00');
    expect(recordNumber('netperf', 12345.67)).toBe('12345.67');
    expect(recordNumber('flent', 2.1950000000000003, '2.1950000000000003')).toBe('2.195');
    expect(recordNumber('iperf3', 941503384.50775337, '941503384.5077534')).toBe('941503385');
    expect(recordNumber('flent', undefined)).toBe('');
    expect(recordNumber('flent', undefined, 'n/a')).toBe('n/a');
  });
  it('the exact value goes in a tooltip only when the cell shows it rounded', () => {
    expect(exactTitle('2.195', 2.1950000000000003)).toBe('exactly 2.1950000000000003');
    expect(exactTitle('2997.84', 2997.84)).toBeUndefined();
    expect(exactTitle('10.00', 10)).toBeUndefined();
    expect(exactTitle('', undefined)).toBeUndefined();
  });
});
