export * from './api.js';
export * from './common.js';
export * from './data-protection.js';
export * from './errors.js';
export * from './limits.js';
export * from './ws.js';
export * from './ws-close-codes.js';
