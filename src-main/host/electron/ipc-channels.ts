/** IPC channel names. The sandboxed preload cannot require this file, so it repeats them; a test compares. */
export const IPC_CALL = 'lumen:call';
export const IPC_OPEN_DIALOG = 'lumen:open-dialog';
export const IPC_EVENT = 'lumen:event';
