import { probeContract } from '../../contract/probeContract.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';

/** The shared suite over the recorded RQ layouts (1.13 live, 2.10 from source): test/fixtures/redis/rq. */
probeContract(rqProbe);
