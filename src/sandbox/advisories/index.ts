export { AdvisoryDatabase, RECORDED_ADVISORIES, type OsvRecord } from './advisoryDatabase';
export { npmRegistryStandIn, osvStandIn } from './advisoryStandIns';
