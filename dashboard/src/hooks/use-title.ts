import { useEffect } from 'react';
import { setScreenTitle } from '../lib/title.js';

/** Sets the tab title while the screen is shown. */
export function useTitle(title: string): void {
  useEffect(() => setScreenTitle(title), [title]);
}
