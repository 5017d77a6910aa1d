/** The attract screen; the verification flow arrives with the flow issue. */
export function App() {
  return (
    <main className="attract" aria-live="polite">
      <h1>Identity check</h1>
      <p>Please ask a member of staff to start.</p>
    </main>
  );
}
