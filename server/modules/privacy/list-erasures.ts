/** Every erasure recorded, oldest first: a restore re-applies them (backups module). */
export { listErasures } from './erasure.repository.js';
