import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadRuntimeConfig } from './auth/config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadRuntimeConfig()
  .then((config) => root.render(<App config={config} />))
  .catch((error: unknown) =>
    root.render(
      <main className="card error" role="alert">
        The dashboard cannot start: {error instanceof Error ? error.message : String(error)}
      </main>,
    ),
  );
