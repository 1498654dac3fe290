/**
 * The hardening review, shared by the platform agent (`harden`) and the security agent:
 * `reviewFiles(files)` gives findings in the runtime's Finding shape.
 */
export { reviewFiles, reviewFilesDetailed, mergeFixes, fingerprintOf, REVIEW_GLOBS, type ReviewOptions, type ReviewResult } from './review';
export { HARDENING_RULES, type FileKind, type HardeningRule } from './rules';
export { type ReviewFile, type SkippedFile } from './types';
