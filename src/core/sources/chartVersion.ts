// Which published version of a chart a requested version means, the way source-controller picks one from a Helm
// repository index or an OCI tag list: an exact match of the string first; else the highest version the
// semver constraint accepts (empty and `*` mean the latest stable). Flux's constraints are Masterminds semver:
// comma-separated comparators are ANDed, `||` ORs them, and a prerelease is a candidate only when the
// constraint names a prerelease itself (`>=1.0.0-0`). The `semver` package (npm's own) parses the same range
// grammar (`^`, `~`, `x`, hyphen ranges) with years of fixes behind it; only the comma and the prerelease rule
// need translating.
import semver from 'semver';

export type VersionChoice = { version: string } | { problem: string };

/** Masterminds `>=1.0, <2.0` -> npm `>=1.0 <2.0` (npm reads a comma as part of a version). */
function npmRange(constraint: string): string {
  return constraint.split('||').map((part) => part.replace(/,/g, ' ').trim()).join(' || ');
}

/**
 * Whether the constraint as written names a prerelease (`>=1.0.0-0`, `~2.1.0-rc`). Read from the text, since
 * npm's desugared comparators carry `-0` of their own (`1.x` becomes `<2.0.0-0`); a hyphen range's ` - ` is no prerelease.
 */
function namesPrerelease(constraint: string): boolean {
  return /(^|[\s,<>=~^|v])\d+(\.(\d+|[xX*])){0,2}-[0-9A-Za-z]/.test(constraint);
}

/** Versions as charts publish them, leniently: `v1.2.3` and `1.2` count too, as Flux's version parser allows. */
function parsed(version: string): semver.SemVer | null {
  return semver.parse(version, { loose: true }) ?? semver.coerce(version, { includePrerelease: true });
}

/**
 * The version `requested` resolves to among `available`, or why none does (naming the constraint and what is
 * there). `what` names the chart in messages: `chart podinfo in https://charts.example.com`.
 */
export function chooseVersion(requested: string | undefined, available: string[], what: string): VersionChoice {
  const wanted = (requested ?? '').trim();
  if (available.length === 0) return { problem: `${what} has no versions` };
  if (wanted !== '' && available.includes(wanted)) return { version: wanted };
  let range: semver.Range;
  try {
    range = new semver.Range(wanted === '' ? '*' : npmRange(wanted), { loose: true });
  } catch {
    return { problem: `${what}: version "${wanted}" is neither a published version nor a semver range (versions: ${listed(available)})` };
  }
  const includePrerelease = namesPrerelease(wanted);
  let best: { version: string; parsed: semver.SemVer } | undefined;
  for (const version of available) {
    const candidate = parsed(version);
    if (!candidate || !semver.satisfies(candidate, range, { loose: true, includePrerelease })) continue;
    // Equal versions differing in build metadata: the higher metadata string wins, as in source-controller.
    const order = best ? semver.compare(candidate, best.parsed) : 1;
    if (order > 0 || (order === 0 && best && candidate.build.join('.') > best.parsed.build.join('.'))) best = { version, parsed: candidate };
  }
  if (best) return { version: best.version };
  const shown = wanted === '' ? '*' : wanted;
  return { problem: `${what}: no version matches "${shown}"${includePrerelease ? '' : ' (prereleases count only when the range names one, e.g. >=1.0.0-0)'} (versions: ${listed(available)})` };
}

/** The versions, newest first, at most 10 named. */
function listed(versions: string[]): string {
  const sorted = [...versions].sort((a, b) => {
    const left = parsed(a);
    const right = parsed(b);
    return left && right ? semver.rcompare(left, right) : a.localeCompare(b);
  });
  return sorted.length > 10 ? `${sorted.slice(0, 10).join(', ')} and ${sorted.length - 10} more` : sorted.join(', ');
}
