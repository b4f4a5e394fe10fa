export { writeFileAtomic, writeJsonAtomic, readJsonFile, removeStaleTemps, corruptPathFor } from './atomicJson';
export { createSessionStore, sessionFileName, type SessionStore } from './sessionStore';
