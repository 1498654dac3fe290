import { parseXml, type XmlElement, XmlText } from '@rgrove/parse-xml';
import { type ManifestReading, type VersionSpot } from './versionEdit';

/** The MSBuild properties that carry a package's version (AssemblyVersion/FileVersion are four-part and left alone). */
const VERSION_PROPERTIES = ['Version', 'PackageVersion', 'VersionPrefix', 'VersionSuffix'] as const;

function* propertyElements(root: XmlElement): Generator<XmlElement> {
  for (const group of root.children) {
    if (!(group instanceof Object) || !('name' in group) || (group as XmlElement).name !== 'PropertyGroup') continue;
    for (const prop of (group as XmlElement).children) if ('name' in prop && (VERSION_PROPERTIES as readonly string[]).includes((prop as XmlElement).name)) yield prop as XmlElement;
  }
}

/**
 * *.csproj, *.fsproj, *.vbproj and Directory.Build.props: `<Version>`, `<PackageVersion>`, and
 * `<VersionPrefix>` with `<VersionSuffix>` (the prefix takes 1.2.3, the suffix the pre-release
 * part). Only the text between the tags changes; a property computed from others
 * (`$(...)`) is reported and left alone.
 */
export function readMsbuildProject(text: string, file: string): ManifestReading & { readonly suffixSpot?: VersionSpot; readonly hasPrefix: boolean } {
  let doc;
  try {
    doc = parseXml(text, { includeOffsets: true });
  } catch (error) {
    return { version: undefined, spots: [], hasPrefix: false, problem: `${file} is not well-formed XML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); its version was left alone.` };
  }
  const root = doc.root;
  if (!root || root.name !== 'Project') return { version: undefined, spots: [], hasPrefix: false };
  const spots: VersionSpot[] = [];
  let suffixSpot: VersionSpot | undefined;
  let version: string | undefined;
  let hasPrefix = false;
  for (const prop of propertyElements(root)) {
    const only = prop.children.length === 1 ? prop.children[0] : undefined;
    if (!(only instanceof XmlText)) {
      if (prop.children.length === 0 && prop.name === 'VersionSuffix') {
        // <VersionSuffix></VersionSuffix> or <VersionSuffix /> (the latter cannot take text in place).
        const raw = text.slice(prop.start, prop.end);
        const open = raw.indexOf('>') + 1;
        if (!raw.endsWith('/>') && open > 0) suffixSpot = { start: prop.start + open, end: prop.start + open, label: '<VersionSuffix>' };
      }
      continue;
    }
    const value = only.text.trim();
    if (value.includes('$(')) return { version: undefined, spots: [], hasPrefix: false, problem: `${file}: <${prop.name}> is computed (${value}); set the version where it comes from.` };
    const lead = only.text.length - only.text.trimStart().length;
    const spot: VersionSpot = { start: only.start + lead, end: only.start + lead + value.length, label: `<${prop.name}>` };
    if (prop.name === 'VersionSuffix') suffixSpot = spot;
    else {
      if (prop.name === 'VersionPrefix') hasPrefix = true;
      spots.push(spot);
      version ??= value;
    }
  }
  if (hasPrefix && suffixSpot && text.slice(suffixSpot.start, suffixSpot.end) && version) version = `${version}-${text.slice(suffixSpot.start, suffixSpot.end)}`;
  return { version, spots, hasPrefix, ...(suffixSpot ? { suffixSpot } : {}) };
}
