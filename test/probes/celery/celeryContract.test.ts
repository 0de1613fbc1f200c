import { probeContract } from '../../contract/probeContract.js';
import { celeryProbe } from '../../../src-main/probes/celery/celeryProbe.js';

// The shared probe suite over test/fixtures/redis/celery/*.json (5.2.6 recorded, 5.6.2 from source).
probeContract(celeryProbe);
