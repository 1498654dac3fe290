export * from './fileApprovals';
export * from './repositoryFile';
