import { create } from 'zustand';

interface ErrorState {
  readonly messages: readonly string[];
  report(error: unknown): void;
  dismiss(index: number): void;
}

/** Every failure the user should know about ends up here; nothing is swallowed silently. */
export const useErrorStore = create<ErrorState>()((set) => ({
  messages: [],
  report: (error) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error);
    // The same failure repeated (e.g. a retried refresh) is shown once.
    set((state) => (state.messages.includes(message) ? state : { messages: [...state.messages, message] }));
  },
  dismiss: (index) => set((state) => ({ messages: state.messages.filter((_, i) => i !== index) })),
}));

export const reportError = (error: unknown): void => useErrorStore.getState().report(error);
