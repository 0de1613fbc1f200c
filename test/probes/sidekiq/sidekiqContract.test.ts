import { probeContract } from '../../contract/probeContract.js';
import { sidekiqProbe } from '../../../src-main/probes/sidekiq/sidekiqProbe.js';

/** The shared suite over the recorded Sidekiq layouts (6.4 live; 7.3, 8.1 and a namespace written from it): test/fixtures/redis/sidekiq. */
probeContract(sidekiqProbe);
