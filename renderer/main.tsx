import './zodConfig'; // first: before any module builds a zod schema
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n';
import { savedLanguage } from './ui/LanguageSwitch';
import { App } from './App';
import './app.css';

const language = savedLanguage();
initI18n(language);
document.documentElement.lang = language;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
