import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { applyTheme } from './app/theme';
import { boot } from './stores/sync';
import './styles/app.css';
import './styles/console.css';
import './styles/hosts.css';
import './styles/identity.css';

applyTheme();
void boot();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
