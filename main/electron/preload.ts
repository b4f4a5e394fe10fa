/**
 * Preload of the application window. Runs sandboxed (only the 'electron' module is available;
 * build.mjs bundles this file and zod into one CommonJS file) and exposes exactly one object,
 * `window.frw`, through contextBridge (contextIsolation is on: the page cannot reach this world).
 */
import './zodJitless'; // first: before any zod schema is built
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('frw', createBridge(ipcRenderer));
