import { probeContract } from '../../contract/probeContract.js';
import { bullmqProbe } from '../../../src-main/probes/bullmq/bullmqProbe.js';

/** The shared suite over the recorded BullMQ layouts (6.7.6 and 5.81.5, live): test/fixtures/redis/bullmq. */
probeContract(bullmqProbe);
