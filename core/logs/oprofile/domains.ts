import type { Domain, DomainRule } from '../types.js';

/**
 * Xenoprof domain rule — which Xen domain spent a profile row's cycles, from its image name
 * (last path component):
 *
 *   xen-syms…, xen-…(.gz), xen                 → hypervisor
 *   domain0-… , vmlinux-…-xen0 / …xen0…, dom0…  → driver (domain 0 owns the NIC)
 *   domainN-kernel|-apps|-modules|-xen|-xen-unknown (N ≥ 1), pappsN, domUN… → guest N
 *   vmlinux-…xenU…, papps (no number)          → guest (number unknown)
 *   anything else                              → driver when the profile is a Xen profile
 *                                                (opreport runs in dom0, so its own kernel,
 *                                                modules and programs carry plain names),
 *                                                otherwise native
 *
 * A profile counts as a Xen profile when any image matches one of the Xen rules above. Callers
 * override or extend the rule with DomainRule[] (tested first, first match wins).
 */
const HYPERVISOR = /^(xen-syms\b|xen-syms|xen(-[\d.]+.*)?(\.gz)?$|xen\.gz)/;
const GUEST_N = /^(?:domain|papps|domU?)(\d+)(?:-|$)/;
const DRIVER = /^(?:domain0-|dom0\b|dom0-)|xen0/;
const GUEST_ANY = /xenU|^papps$|^domU\b/;

export function baseName(image: string): string {
  const i = image.lastIndexOf('/');
  return i >= 0 ? image.slice(i + 1) : image;
}

export interface CompiledRule {
  re: RegExp;
  domain: string;
}

export function compileRules(rules: DomainRule[] | undefined): CompiledRule[] {
  return (rules ?? []).map((r) => ({ re: new RegExp(r.pattern), domain: r.domain }));
}

function asDomain(s: string): Domain | null {
  if (s === 'hypervisor' || s === 'driver' || s === 'guest' || s === 'native') return s;
  if (/^guest\d+$/.test(s)) return s as Domain;
  return null;
}

/**
 * Why a rule's DOMAIN cannot name a domain, or null when it can: one of the names, or a template whose
 * `$n` captures fill a guest number (`guest$1`) or the whole name (`$1`). A misspelt domain would
 * otherwise match nothing, silently, and the built-in rule would decide instead.
 */
export function badRuleDomain(domain: string): string | null {
  if (asDomain(domain) !== null || /^guest(?:\$\d|\d)+$/.test(domain) || /^\$\d$/.test(domain)) return null;
  return `"${domain}" is not a domain: use hypervisor, driver, guest, guestN (e.g. guest1, or guest$1 from a capture) or native`;
}

/** The domain for an image by the rules, or null when only the Xen/native fallback applies. */
export function classifyImage(image: string, rules: CompiledRule[]): Domain | null {
  const name = baseName(image);
  for (const r of rules) {
    const m = r.re.exec(name);
    if (m !== null) {
      const d = asDomain(r.domain.replace(/\$(\d)/g, (_s, i: string) => m[Number(i)] ?? ''));
      if (d !== null) return d;
    }
  }
  if (HYPERVISOR.test(name)) return 'hypervisor';
  const g = GUEST_N.exec(name);
  if (g?.[1] !== undefined) return g[1] === '0' ? 'driver' : (`guest${Number(g[1])}` as Domain);
  if (DRIVER.test(name)) return 'driver';
  if (GUEST_ANY.test(name)) return 'guest';
  return null;
}
