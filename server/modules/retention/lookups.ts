/** What the data-subject export reads of a visitor's archived conversations. */
export { listArchivesOfVisitor } from './archive.repository.js';
