#!/usr/bin/env python3
"""Prints the README's reproduction table from `rxlab reproduce --json` (stdin), so the README quotes
the program's own output instead of hand-copied numbers."""
import json, sys
d = json.load(sys.stdin)
names = {'throughput_mbps': 'throughput (Mbit/s)', 'driver': 'cycles/byte, driver domain', 'guest': 'cycles/byte, guest domain',
         'total': 'cycles/byte, total', 'lro_rate': 'LRO rate (packets/aggregate)', 'rr_transactions_per_s': 'TCP_RR (transactions/s)'}
ok = sum(1 for c in d['cells'] if c['within_tolerance'])
print(f"Model `{d['model_version']}`, {len(d['seeds'])} seeds, mean of the seeds; tolerance ±3 % per cell, ±5 % for the LRO rate. "
      f"**{ok} of {len(d['cells'])} cells are within tolerance.**\n")
print('| table | system | metric | paper | simulated | error | |')
print('|---|---|---|---:|---:|---:|---|')
for c in d['cells']:
    sim = c['simulated']
    fmt = f"{sim:.0f}" if abs(sim) >= 1000 else f"{sim:.1f}" if abs(sim) >= 100 else f"{sim:.2f}"
    print(f"| {c['table']} | {c['system']} | {names.get(c['metric'], c['metric'])} | {c['paper']} | {fmt} | {c['error_pct']:+.1f} % | {'ok' if c['within_tolerance'] else '**misfit**'} |")
print('\nPublished findings:\n')
for f in d['findings']:
    print(f"- {'holds' if f['holds'] else '**does not hold**'}: {f['text']} — {f['detail']}")
