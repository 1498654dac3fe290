import semver from 'semver';
import { z } from 'zod';

/** A tag prefix: what comes before the version in a release tag (`v`, `web@`, `release-`). */
const TagPrefix = z.string().max(100).regex(/^[A-Za-z0-9._@/-]*$/, 'letters, digits and . _ @ / - only');
/** A pre-release identifier (`rc`, `beta`). */
const Preid = z.string().regex(/^[0-9A-Za-z-]+$/, 'a pre-release identifier such as rc or beta');
/** A monorepo package's folder, workspace-relative. */
const PackageDir = z.string().min(1).max(500).refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a folder inside the workspace');
const ReleaseAs = z.string().refine((v) => ['major', 'minor', 'patch'].includes(v) || semver.valid(v) !== null, 'major, minor, patch or a version such as 2.0.0');

export const ReleaseInputSchema = z
  .object({
    /** Default `v`; a package released on its own defaults to `<name>@` (the conventional-changelog tools' package prefix). */
    tagPrefix: TagPrefix.optional(),
    package: PackageDir.optional(),
    preid: Preid.optional(),
    /** Leave a pre-release series for the stable version. */
    stable: z.boolean().optional(),
    releaseAs: ReleaseAs.optional(),
    /** The git remote to push to. */
    remote: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
    /** Where the notes are published: a GitHub release, an Azure DevOps wiki page, or nowhere. Default: GitHub when it is connected, else the wiki when Azure DevOps is, else nowhere. */
    publish: z.enum(['auto', 'github', 'wiki', 'none']).optional(),
    /** The deployment pipeline to run for the new tag: a GitHub workflow file (`deploy.yml`) or an Azure Pipelines id or name. */
    deploy: z.string().min(1).max(200).regex(/^[\w.\\/@+][\w .\\/@+-]*$/, 'a workflow file (deploy.yml) or a pipeline name or id').optional(),
    /** Parameters for the deployment (`key=value`, repeatable). */
    param: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*=.*$/s, 'key=value')).optional(),
  })
  .strict();
export type ReleaseInput = z.infer<typeof ReleaseInputSchema>;

export const RELEASE_OPTIONS = {
  tagPrefix: { type: 'string', description: 'What comes before the version in a release tag (default v; a --package defaults to <name>@).' },
  package: { type: 'string', description: "Release one package of a monorepo: its folder (its own tags, commits touching it, its manifests and CHANGELOG.md)." },
  preid: { type: 'string', description: 'Make a pre-release with this identifier (rc, beta); a pre-release continues its own series by default.' },
  stable: { type: 'boolean', description: 'Leave a pre-release series for the stable version.' },
  releaseAs: { type: 'string', description: 'Override the recommendation: major, minor, patch or a version.' },
  remote: { type: 'string', description: 'The git remote to push the tag to (default origin).' },
  publish: { type: 'string', description: 'Where the notes go: auto (default), github (a release), wiki (an Azure DevOps wiki page) or none.' },
  deploy: { type: 'string', description: 'Run this deployment for the tag: a GitHub workflow file (deploy.yml) or an Azure Pipelines pipeline id or name.' },
  param: { type: 'string', multiple: true, description: 'A deployment parameter key=value (repeatable).' },
} as const;
