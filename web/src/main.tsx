import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { SessionStore } from './lib/session';
import { SessionProvider } from './state';
import './styles.css';

const store = new SessionStore(localStorage, fetch.bind(window), '/graphql');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider store={store}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
