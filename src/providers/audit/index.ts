export * from './auditLayout';
export * from './fileAuditSink';
export * from './auditReader';
export * from './lineStream';
export * from './trailVerify';
export * from './verifiedHead';
export * from './trailVerifier';
export * from './trailIndex';
