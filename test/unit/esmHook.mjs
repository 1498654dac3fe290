// Sources load through tsx's require hook; a dynamic import() of our own file (how providers load
// heavy SDKs lazily, so esbuild makes it a chunk) goes through Node's ESM loader, which needs tsx's
// ESM hook as well. Registered once for every unit test.
import { register } from 'tsx/esm/api';

register();
