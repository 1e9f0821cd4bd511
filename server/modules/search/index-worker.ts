import { serveRequests } from '../../platform/workers/serve-requests.js';
import { runAtBackgroundPriority } from '../../platform/workers/thread-priority.js';
import { prepareIndex } from './prepare-index.js';

/**
 * The search indexer's worker thread (started by search-indexer.ts): it opens waiting messages and
 * hashes their terms, the CPU of indexing, so the event loop only reads and writes rows. Indexing
 * is background work: at the lowest priority it never takes a core from the event loop, and a
 * message waits a little longer to be findable when the machine is busy (a search first indexes
 * what is still waiting, so it still finds it).
 */
runAtBackgroundPriority();
serveRequests(prepareIndex);
