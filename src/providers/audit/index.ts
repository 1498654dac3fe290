export * from './auditLayout';
export * from './fileAuditSink';
export * from './auditReader';
