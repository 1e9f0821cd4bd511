export * from './api.js';
export * from './api-tokens.js';
export * from './common.js';
export * from './errors.js';
export * from './identity.js';
export * from './limits.js';
export * from './ws.js';
export * from './ws-close-codes.js';
