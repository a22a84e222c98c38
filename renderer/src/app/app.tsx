import type { ReactElement } from 'react';
import { LoginPage } from '../pages/login';
import { SetupWizard } from '../pages/setup-wizard';
import { selectPhase, useSession } from '../stores/session';
import { boot } from '../stores/sync';
import { Shell } from './shell';
import { Toasts } from '../components/toasts';

export function App(): ReactElement {
  const phase = useSession(selectPhase);
  const error = useSession((s) => s.error);
  let body: ReactElement;
  switch (phase) {
    case 'booting':
      body = (
        <div className="center-screen">
          <span className="spinner" aria-label="Loading" />
        </div>
      );
      break;
    case 'offline':
      body = (
        <div className="center-screen">
          <div className="card auth-card">
            <h1>Cannot reach DeskStack</h1>
            <p className="muted">{error}</p>
            <button className="btn primary" onClick={() => void boot()}>Try again</button>
          </div>
        </div>
      );
      break;
    case 'setup':
      body = <SetupWizard />;
      break;
    case 'login':
      body = <LoginPage />;
      break;
    default:
      body = <Shell />;
  }
  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
