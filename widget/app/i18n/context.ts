import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Texts, textsFor } from './index.js';

/** The widget's texts, given once at the root (main.tsx) to every component. */
export const TextsContext = createContext<Texts>(textsFor('en'));

export function useTexts(): Texts {
  return useContext(TextsContext);
}
