/**
 * Master keys for tests: fixed, so several test nodes on one database share a key ring, and never
 * used outside tests. Production keys come from PARLEY_MASTER_KEY or the key file.
 */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_MASTER_KEY_2 = Buffer.alloc(32, 9).toString('base64');
