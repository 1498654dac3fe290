export * from './auditIndex';
export { type IndexedFile } from './indexFile';
export * from './trailQueries';
