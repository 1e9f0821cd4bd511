import type { DirectorySettingsBody, DirectoryState, DirectoryTestResult } from '../../protocol/directory.js';
import { request } from './api.js';

const path = (wid: string) => `/workspaces/${encodeURIComponent(wid)}/directory`;

/** The workspace's company directory (LDAP / Active Directory): administrators only. */
export const directoryApi = {
  get: (wid: string) => request<DirectoryState>('GET', path(wid)),
  save: (wid: string, body: DirectorySettingsBody) => request<DirectoryState>('PUT', path(wid), body),
  test: (wid: string, body: DirectorySettingsBody) =>
    request<DirectoryTestResult>('POST', `${path(wid)}/test`, body),
};
