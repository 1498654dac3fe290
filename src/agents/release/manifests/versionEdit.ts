/**
 * A version written into a manifest without touching anything else: each editor finds where the
 * version's characters are (with a real parser for the format, never a regex over the whole file)
 * and replaces exactly those, so comments, order, spacing, quotes and line endings stay.
 */
export interface VersionSpot {
  /** Offset of the first character of the version text (inside any quotes). */
  readonly start: number;
  /** Offset just past it. */
  readonly end: number;
  /** What the spot is, for the preview: `version`, `packages[""].version`, `<Version>`. */
  readonly label: string;
}

export interface ManifestReading {
  /** The version the manifest declares (the first spot's text). */
  readonly version: string | undefined;
  readonly spots: readonly VersionSpot[];
  /** Why the manifest's version cannot be changed here (a dynamic or inherited version). */
  readonly problem?: string;
}

/** Replaces every spot's text with `version`, from the end so earlier offsets stay valid. */
export function writeVersion(text: string, spots: readonly VersionSpot[], version: string | ((spot: VersionSpot) => string)): string {
  let out = text;
  for (const spot of [...spots].sort((a, b) => b.start - a.start)) {
    const value = typeof version === 'string' ? version : version(spot);
    out = out.slice(0, spot.start) + value + out.slice(spot.end);
  }
  return out;
}
