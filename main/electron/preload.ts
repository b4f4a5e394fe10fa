/**
 * Preload of the application window. Runs sandboxed (only the 'electron' module is available;
 * build.mjs bundles this file and zod into one CommonJS file) and exposes exactly one object,
 * `window.frw`, through contextBridge (contextIsolation is on: the page cannot reach this world).
 * It also forwards files and folders dropped on the window to main (bridge.ts forwardDrops):
 * paths come from webUtils.getPathForFile in this world and never reach the page.
 */
import './zodJitless'; // first: before any zod schema is built
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, forwardDrops, type DropTargetLike } from './bridge';

contextBridge.exposeInMainWorld('frw', createBridge(ipcRenderer));
forwardDrops(window as unknown as DropTargetLike, ipcRenderer, (file) => webUtils.getPathForFile(file as File));
