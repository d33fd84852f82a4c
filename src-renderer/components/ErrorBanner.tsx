import { useErrorStore } from '../state/errorStore';

export function ErrorBanner() {
  const messages = useErrorStore((s) => s.messages);
  const dismiss = useErrorStore((s) => s.dismiss);
  if (messages.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {messages.map((message, index) => (
        <div className="error-line" key={`${index}-${message}`}>
          <span>{message}</span>
          <button type="button" className="link-button" onClick={() => dismiss(index)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
